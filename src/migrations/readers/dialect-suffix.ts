import type { Engine } from '../../dialects/engine.js';

/**
 * The dialect names migration file names carry (pop/popx: `.postgres.`, `.mysql.`,
 * `.sqlite3.`, `.cockroach.`, and their synonyms). Cockroach files are for an engine
 * schemaguard does not run: they are never chosen.
 */
const DIALECT_NAMES: Readonly<Record<string, Engine | 'cockroach'>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  pg: 'postgres',
  pgx: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  cockroach: 'cockroach',
  cockroachdb: 'cockroach',
  crdb: 'cockroach',
};

export function dialectOfSuffix(suffix: string): Engine | 'cockroach' | undefined {
  return Object.hasOwn(DIALECT_NAMES, suffix) ? DIALECT_NAMES[suffix] : undefined;
}
