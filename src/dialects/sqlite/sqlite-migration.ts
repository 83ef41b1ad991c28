import type { MigrationGenerator } from '../migration-generator.js';
import { SchemaguardError } from '../../core/errors.js';

/** DDL that turns one SQLite schema into another. (Being written.) */
export const generateSqliteMigration: MigrationGenerator = () => {
  throw new SchemaguardError('SQL generation for SQLite is not available yet');
};
