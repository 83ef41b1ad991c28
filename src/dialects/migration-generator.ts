import type { Change } from '../diff/change.js';
import type { MigrationStatement } from '../diff/migration-script.js';
import type { SchemaSnapshot } from '../snapshot/model.js';
import type { Engine } from './engine.js';

/**
 * Turns `from` into `to`: the statements, in dependency order (drops before re-creates,
 * views and functions after what they use). Each engine writes its own SQL.
 */
export type MigrationGenerator = (from: SchemaSnapshot, to: SchemaSnapshot, changes: readonly Change[]) => MigrationStatement[];

export async function migrationGeneratorFor(engine: Engine): Promise<MigrationGenerator> {
  switch (engine) {
    case 'postgres':
      return (await import('./postgres/postgres-migration.js')).generatePostgresMigration;
    case 'mysql':
      return (await import('./mysql/mysql-migration.js')).generateMysqlMigration;
    case 'sqlite':
      return (await import('./sqlite/sqlite-migration.js')).generateSqliteMigration;
  }
}
