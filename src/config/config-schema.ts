import { z } from 'zod';
import { IGNORE_KINDS } from '../diff/ignore-rules.js';

/**
 * schemaguard.yaml: every CLI flag has a key here and every key a flag. Flags win over the
 * file, the file over defaults. Validated on load; an error names the key and its line.
 */
const engine = z.enum(['postgres', 'mysql', 'sqlite']);
const ignoreKind = z.enum(Object.keys(IGNORE_KINDS) as [keyof typeof IGNORE_KINDS, ...(keyof typeof IGNORE_KINDS)[]]);

export const DiffConfigSchema = z.strictObject({
  /** Globs over qualified names of objects whose changes are not reported. */
  ignore: z.array(z.string()).optional(),
  /** Kinds of change not reported (comments, owners, grants, column-order…). */
  ignoreKinds: z.array(ignoreKind).optional(),
  strictColumnOrder: z.boolean().optional(),
  format: z.enum(['text', 'json', 'markdown', 'sql']).optional(),
  /** With format sql: emit DROP and narrowing statements instead of commenting them out. */
  allowDestructive: z.boolean().optional(),
  /** With data: how many missing, extra and changed rows to list per table (`--max-row-changes`). */
  maxRowChanges: z.number().int().positive().optional(),
});

export const MigrationsConfigSchema = z.strictObject({
  /** The migration folder (the DIR argument). */
  dir: z.string().optional(),
  /** Force a folder format instead of detecting it (--format). */
  format: z.enum(['golang-migrate', 'flyway', 'dbmate', 'goose', 'diesel', 'kysely']).optional(),
  /** The committed schema the migrations must leave (--baseline). */
  baseline: z.string().optional(),
  /** A dataset loaded before the first checked migration, whose rows must survive (--seed). */
  seed: z.string().optional(),
  /** Check migrations from this version on; earlier ones only build the base schema (--from). */
  from: z.string().optional(),
  /** Check only the migrations the branch adds compared with this git ref (--git-base). */
  gitBase: z.string().optional(),
  /** Values for template placeholders such as {{ index .Options "Namespace" }} (--var NAME=VALUE). */
  variables: z.record(z.string(), z.string()).optional(),
  /** Allow gaps in sequential versions (--allow-version-gaps). */
  allowVersionGaps: z.boolean().optional(),
  /** Tables each migration deliberately changes the rows of, by version (also `-- schemaguard:transforms T`). */
  transforms: z.record(z.string(), z.array(z.string())).optional(),
  /** Reporters, each `NAME` or `NAME:FILE` (--reporter). */
  reporters: z.array(z.string()).optional(),
});

/** Migration lint (`migrate lint`, and the lint suite of `migrate check`). */
export const LintConfigSchema = z.strictObject({
  /** False turns the lint suite of `migrate check` off (--no-lint). */
  enabled: z.boolean().optional(),
  /** Severity per rule id: error, warning, info, or off (--rule ID=SEVERITY). */
  rules: z.record(z.string(), z.enum(['error', 'warning', 'info', 'off'])).optional(),
  /** Row counts exported from production, to weight findings (--table-sizes). */
  tableSizes: z.string().optional(),
  /** A table with at least this many rows is large (--large-table). */
  largeTable: z.number().int().positive().optional(),
});

export const ConfigSchema = z.strictObject({
  /** Engine of .sql sources and migration folders. */
  dialect: engine.optional(),
  /** Where throwaway databases are made: pglite:, sqlite::memory:, a server URL or docker:IMAGE. */
  scratch: z.string().optional(),
  /** Statement timeout in seconds. */
  timeout: z.number().nonnegative().optional(),
  /** Namespaces to read (PostgreSQL). */
  schemas: z.array(z.string()).optional(),
  /** Globs of objects left out of snapshots. */
  exclude: z.array(z.string()).optional(),
  /**
   * Data snapshots and data diffs (`--data [TABLES…]`): true for every table, or globs of
   * qualified table names; false (or `--no-data`) for schema only.
   */
  data: z.union([z.boolean(), z.array(z.string())]).optional(),
  /** Rows are stored in data snapshots for tables with at most this many (`--rows-limit`). */
  rowsLimit: z.number().int().nonnegative().optional(),
  diff: DiffConfigSchema.optional(),
  migrations: MigrationsConfigSchema.optional(),
  lint: LintConfigSchema.optional(),
});

export type Config = z.infer<typeof ConfigSchema>;
export type DiffConfig = z.infer<typeof DiffConfigSchema>;
export type MigrationsConfig = z.infer<typeof MigrationsConfigSchema>;
export type LintConfig = z.infer<typeof LintConfigSchema>;
