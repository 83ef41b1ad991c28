// Bundles the CLI into a few files under dist/bin/ so `schemaguard` starts fast: kysely alone is
// ~260 modules, and resolving and compiling them one by one cost more than the work itself.
// Engine code stays in separate chunks loaded on demand (a SQLite user never loads pg).
// Native and file-relative packages stay external: better-sqlite3 (a .node addon), PGlite and
// libpg-query (load their .wasm next to themselves), node-sql-parser (large grammars, loaded
// only by lint), testcontainers (Docker only).
import { build } from 'esbuild';

await build({
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['tsx', 'tsx/*', 'better-sqlite3', '@electric-sql/pglite', '@electric-sql/pglite/*', 'testcontainers', '@testcontainers/*', 'pg-native', 'cpu-features', 'ssh2', 'libpg-query', 'node-sql-parser', 'node-sql-parser/*'],
  // Bundled CommonJS packages (pg, mysql2) call require(); give the ES module one.
  banner: { js: "import { createRequire as __schemaguardRequire } from 'node:module'; const require = __schemaguardRequire(import.meta.url);" },
});
