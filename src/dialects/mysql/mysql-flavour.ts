import { versionAtLeast } from '../../core/version.js';
import type { ServerInfo } from '../engine.js';

/**
 * What the connected server's information_schema offers. MySQL and MariaDB diverged after
 * 5.7: the catalog queries ask this object instead of comparing versions themselves, so each
 * difference is decided once, here.
 *
 * Only MariaDB 10.11 is exercised by the test suite. Every `mysql*` branch below follows the
 * MySQL 8.0 reference manual and is untested here.
 */
export interface MysqlFeatures {
  readonly flavour: 'MariaDB' | 'MySQL';
  /** information_schema.CHECK_CONSTRAINTS exists (MariaDB 10.2.22+, MySQL 8.0.16+). */
  readonly checkConstraints: boolean;
  /** CHECK_CONSTRAINTS has TABLE_NAME and LEVEL (MariaDB); MySQL needs TABLE_CONSTRAINTS for the table. */
  readonly checkConstraintsHaveTable: boolean;
  /** SCHEMATA.SCHEMA_COMMENT (MariaDB 10.5+). */
  readonly schemaComment: boolean;
  /** STATISTICS.IGNORED (MariaDB 10.6+). */
  readonly ignoredIndexes: boolean;
  /** STATISTICS.IS_VISIBLE (MySQL 8.0+). */
  readonly invisibleIndexes: boolean;
  /** STATISTICS.EXPRESSION: functional key parts (MySQL 8.0.13+). */
  readonly functionalKeyParts: boolean;
  /** VIEWS.ALGORITHM (MariaDB only; MySQL 8 does not expose it in information_schema). */
  readonly viewAlgorithm: boolean;
  /** Sequences are tables with TABLE_TYPE = 'SEQUENCE' (MariaDB 10.3+). */
  readonly sequences: boolean;
}

export function mysqlFeatures(server: ServerInfo): MysqlFeatures {
  const at = (...minimum: number[]) => versionAtLeast(server.version, minimum.join('.'));
  if (server.product === 'MariaDB') {
    return {
      flavour: 'MariaDB',
      checkConstraints: at(10, 2, 22),
      checkConstraintsHaveTable: true,
      schemaComment: at(10, 5),
      ignoredIndexes: at(10, 6),
      invisibleIndexes: false,
      functionalKeyParts: false,
      viewAlgorithm: true,
      sequences: at(10, 3),
    };
  }
  // MySQL-only, untested here (only MariaDB 10.11 is available to the test suite).
  return {
    flavour: 'MySQL',
    checkConstraints: at(8, 0, 16),
    checkConstraintsHaveTable: false,
    schemaComment: false,
    ignoredIndexes: false,
    invisibleIndexes: at(8),
    functionalKeyParts: at(8, 0, 13),
    viewAlgorithm: false,
    sequences: false,
  };
}
