import type { MigrationGenerator } from '../migration-generator.js';
import { SchemaguardError } from '../../core/errors.js';

/** DDL that turns one MySQL/MariaDB schema into another. (Being written.) */
export const generateMysqlMigration: MigrationGenerator = () => {
  throw new SchemaguardError('SQL generation for MySQL/MariaDB is not available yet');
};
