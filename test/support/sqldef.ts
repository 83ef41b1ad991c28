import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { corpusPath } from './corpus.js';

/**
 * sqldef's YAML test cases (../shared/corpus/sqldef/cmd/*def/*.yml): a `current` and a
 * `desired` schema, and the DDL sqldef generates between them. For schemaguard they are an
 * oracle: the two schemas differ exactly when `up` is non-empty, and our generated SQL,
 * applied to `current`, must give `desired`.
 */
export interface SqldefCase {
  /** `tests_tables.yml#DropTable` */
  readonly id: string;
  readonly file: string;
  readonly name: string;
  readonly current: string;
  readonly desired: string;
  /** null when the case asserts no DDL (an idempotency-only case). */
  readonly up: string | null;
  readonly error: string | null;
  readonly minVersion: string | null;
  readonly maxVersion: string | null;
  readonly flavor: string | null;
  /** sqldef options the case exercises; schemaguard has no equivalent for these. */
  readonly sqldefOptions: string[];
}

export function loadSqldefCases(tool: 'psqldef' | 'mysqldef' | 'sqlite3def'): SqldefCase[] {
  const dir = corpusPath('sqldef', 'cmd', tool);
  const cases: SqldefCase[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml')).sort()) {
    const parsed = parse(readFileSync(join(dir, file), 'utf8')) as Record<string, Record<string, unknown>> | null;
    for (const [name, raw] of Object.entries(parsed ?? {})) {
      if (raw === null || typeof raw !== 'object') continue;
      const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : null);
      const sqldefOptions = ['enable_drop', 'managed_roles', 'manage', 'config', 'user'].filter(
        (key) => raw[key] !== undefined && !(key === 'enable_drop' && raw[key] === true),
      );
      cases.push({
        id: `${file}#${name}`,
        file,
        name,
        current: text('current') ?? '',
        desired: text('desired') ?? '',
        up: text('up') === null ? null : text('up')!.trim() === '' ? '' : text('up'),
        error: text('error'),
        minVersion: raw.min_version === undefined ? null : String(raw.min_version),
        maxVersion: raw.max_version === undefined ? null : String(raw.max_version),
        flavor: text('flavor'),
        sqldefOptions,
      });
    }
  }
  return cases;
}
