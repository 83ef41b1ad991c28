import type { MigrationGenerator } from '../migration-generator.js';
import { SchemaguardError } from '../../core/errors.js';

/** DDL that turns one PostgreSQL schema into another. (Being written.) */
export const generatePostgresMigration: MigrationGenerator = () => {
  throw new SchemaguardError('SQL generation for PostgreSQL is not available yet');
};
