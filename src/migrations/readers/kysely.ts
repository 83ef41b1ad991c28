import { pathToFileURL } from 'node:url';
import { messageOf } from '../../core/errors.js';
import { errorAt } from '../migration-errors.js';
import type { KyselyMigrationFunction, MigrationFile, ModuleMigrationScript } from '../migration.js';
import type { ReadContext } from '../read-context.js';
import { nameVersion } from '../version.js';
import type { FolderEntry, MigrationDraft, MigrationReader } from './reader.js';

/**
 * Kysely: modules (`.ts`, `.mts`, `.js`, `.mjs`) exporting `up(db)` and optionally
 * `down(db)`, directly or on a default export, as Kysely's FileMigrationProvider reads them.
 * They apply in the order of their names. TypeScript is loaded through tsx (Node 20 has no
 * type stripping of its own).
 */

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];
const TSX_API = 'tsx/esm/api';

export function isKyselyMigrationFile(fileName: string): boolean {
  if (fileName.endsWith('.d.ts') || fileName.endsWith('.d.mts')) return false;
  return EXTENSIONS.some((extension) => fileName.endsWith(extension));
}

async function importModule(file: MigrationFile): Promise<unknown> {
  const url = pathToFileURL(file.path).href;
  if (file.path.endsWith('.ts') || file.path.endsWith('.mts')) {
    // A specifier the CLI bundler cannot follow: tsx loads its loader files next to itself,
    // so it must stay a package in node_modules, never be bundled into dist/bin.
    const specifier = TSX_API;
    const { tsImport } = (await import(specifier)) as typeof import('tsx/esm/api');
    return tsImport(url, { parentURL: import.meta.url });
  }
  return import(url);
}

const functionOf = (module: unknown, name: 'up' | 'down'): KyselyMigrationFunction | null => {
  const own = (module as Record<string, unknown> | null)?.[name];
  if (typeof own === 'function') return own as KyselyMigrationFunction;
  const fallback = ((module as { default?: Record<string, unknown> } | null)?.default ?? null)?.[name];
  return typeof fallback === 'function' ? (fallback as KyselyMigrationFunction) : null;
};

export const readKysely: MigrationReader = async (context: ReadContext, entries: readonly FolderEntry[]) => {
  const drafts: MigrationDraft[] = [];
  for (const entry of entries) {
    if (entry.directory || !isKyselyMigrationFile(entry.name)) continue;
    const file = context.file(entry.name);
    let module: unknown;
    try {
      module = await importModule(file);
    } catch (error) {
      throw errorAt(file, null, `cannot load the migration module: ${messageOf(error).split('\n')[0]}`, 'fix the module so that it loads (node or tsx runs it on its own)', error);
    }
    const up = functionOf(module, 'up');
    if (up === null) throw errorAt(file, null, 'exports no up(db) function', 'export async function up(db: Kysely<any>) (and down) from the migration module');
    const down = functionOf(module, 'down');
    const script = (exportName: 'up' | 'down', run: KyselyMigrationFunction): ModuleMigrationScript => ({ kind: 'module', file, exportName, run });
    const name = entry.name.slice(0, entry.name.lastIndexOf('.'));
    drafts.push({ version: nameVersion(name), name, up: script('up', up), down: down === null ? null : script('down', down) });
  }
  return drafts;
};
