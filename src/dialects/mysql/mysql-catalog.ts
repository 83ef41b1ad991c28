import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { MysqlFeatures } from './mysql-flavour.js';

/**
 * The catalog queries for MySQL and MariaDB: one per object kind over information_schema,
 * each filtered to the connected database (`= DATABASE()`), whatever the number of objects.
 * The one exception is MariaDB sequences, whose settings live in the sequence tables
 * themselves: they are read by a single UNION ALL query built once the sequences are listed.
 * Raw row shapes are typed here; mysql-snapshot.ts folds them into the shared model.
 *
 * mysql2 returns BIGINT columns (ORDINAL_POSITION, ACTION_ORDER, sequence bounds…) as strings
 * because the pool asks for `bigNumberStrings`; those fields are typed `DbInteger`.
 */
export type DbInteger = number | string;

export interface RawDatabase {
  name: string;
  comment: string | null;
}

export interface RawTable {
  name: string;
  /** BASE TABLE, VIEW, SEQUENCE, SYSTEM VERSIONED (MariaDB). */
  table_type: string;
  engine: string | null;
  collation: string | null;
  /** `row_format=COMPACT stats_persistent=1 partitioned`: only what CREATE TABLE set explicitly. */
  create_options: string | null;
  comment: string | null;
}

export interface RawColumn {
  table_name: string;
  name: string;
  ordinal: DbInteger;
  /** MariaDB: an SQL expression (`'abc'`, `NULL`, `current_timestamp()`); MySQL: the bare value. */
  column_default: string | null;
  is_nullable: 'YES' | 'NO';
  data_type: string;
  column_type: string;
  charset: string | null;
  collation: string | null;
  /** `auto_increment`, `on update current_timestamp()`, `STORED GENERATED`, `DEFAULT_GENERATED` (MySQL)… */
  extra: string;
  generation_expression: string | null;
  comment: string;
}

export interface RawIndexColumn {
  table_name: string;
  index_name: string;
  non_unique: DbInteger;
  seq_in_index: DbInteger;
  /** `null` for a functional key part (MySQL 8). */
  column_name: string | null;
  /** MySQL 8 functional key part. */
  expression: string | null;
  /** `A` ascending, `D` descending, `null` not sorted (HASH, FULLTEXT). */
  collation: string | null;
  sub_part: DbInteger | null;
  index_type: string;
  /** `disabled` for keys switched off with ALTER TABLE … DISABLE KEYS. */
  status_comment: string | null;
  index_comment: string | null;
  /** MariaDB IGNORED, MySQL not IS_VISIBLE: `YES` when the optimizer may not use the index. */
  hidden: 'YES' | 'NO' | null;
}

/** A column of a foreign key (KEY_COLUMN_USAGE rows that reference a table). */
export interface RawForeignKeyColumn {
  table_name: string;
  name: string;
  column_name: string;
  position: DbInteger;
  referenced_schema: string;
  referenced_table: string;
  referenced_column: string;
}

/** A foreign key's actions (REFERENTIAL_CONSTRAINTS). */
export interface RawForeignKeyRule {
  table_name: string;
  name: string;
  update_rule: string;
  delete_rule: string;
}

export interface RawCheck {
  table_name: string;
  name: string;
  clause: string;
  /** MySQL CHECK … NOT ENFORCED gives `NO`; MariaDB always enforces. */
  enforced: string;
}

export interface RawView {
  name: string;
  definition: string;
  check_option: string;
  security_type: string;
  /** MariaDB only. */
  algorithm: string | null;
  /** `user@host`, as the server shows it. */
  definer: string;
}

export interface RawSequenceSettings {
  name: string;
  start: DbInteger;
  min: DbInteger;
  max: DbInteger;
  increment: DbInteger;
  cache: DbInteger;
  cycle: DbInteger;
}

export interface RawRoutine {
  name: string;
  kind: 'FUNCTION' | 'PROCEDURE';
  /** Return type of a function, `int(11)`; null for a procedure. */
  returns: string | null;
  returns_charset: string | null;
  returns_collation: string | null;
  body: string | null;
  is_deterministic: 'YES' | 'NO';
  data_access: string;
  security_type: string;
  sql_mode: string;
  comment: string;
  definer: string;
}

export interface RawParameter {
  routine_name: string;
  routine_kind: 'FUNCTION' | 'PROCEDURE';
  position: DbInteger;
  mode: string | null;
  name: string;
  type: string;
  charset: string | null;
  collation: string | null;
}

export interface RawTrigger {
  table_name: string;
  name: string;
  /** INSERT, UPDATE or DELETE. */
  event: string;
  timing: string;
  orientation: string;
  action_order: DbInteger;
  statement: string;
  definer: string;
}

export interface RawEvent {
  name: string;
  definition: string;
  /** ONE TIME or RECURRING. */
  event_type: string;
  execute_at: string | null;
  interval_value: string | null;
  interval_field: string | null;
  starts: string | null;
  ends: string | null;
  status: string;
  on_completion: string;
  time_zone: string;
  comment: string;
  definer: string;
}

export interface RawPartition {
  table_name: string;
  name: string;
  subpartition_name: string | null;
  position: DbInteger;
  subposition: DbInteger | null;
  method: string;
  submethod: string | null;
  expression: string | null;
  subexpression: string | null;
  description: string | null;
  comment: string;
}

/**
 * A privilege granted on the connected database (SCHEMA_PRIVILEGES, `table_name` null) or on
 * one of its tables, views or sequences (TABLE_PRIVILEGES). Only grants on the database by
 * its exact name are read: a wildcard grant (`app\\_%`.*) belongs to no one database.
 */
export interface RawPrivilege {
  table_name: string | null;
  /** `'app'@'%'`, as the server shows it. */
  grantee: string;
  privilege: string;
  is_grantable: 'YES' | 'NO';
}

export interface MysqlCatalog {
  database: RawDatabase;
  tables: RawTable[];
  columns: RawColumn[];
  indexColumns: RawIndexColumn[];
  foreignKeyColumns: RawForeignKeyColumn[];
  foreignKeyRules: RawForeignKeyRule[];
  checks: RawCheck[];
  views: RawView[];
  sequences: RawSequenceSettings[];
  routines: RawRoutine[];
  parameters: RawParameter[];
  triggers: RawTrigger[];
  events: RawEvent[];
  partitions: RawPartition[];
  privileges: RawPrivilege[];
}

/** A column that exists only on some servers, or NULL in its place. */
const columnIf = (present: boolean, column: string) => sql.raw(present ? column : 'NULL');

/** The queries that do not depend on what an earlier one returned. */
export function mysqlCatalogQueries(features: MysqlFeatures) {
  return {
    database: sql<RawDatabase>`
      SELECT DATABASE() AS name, ${columnIf(features.schemaComment, 'SCHEMA_COMMENT')} AS comment
      FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()`,

    // Temporary tables (TABLE_TYPE 'TEMPORARY' on MariaDB 11.2+) belong to a session, not the schema.
    tables: sql<RawTable>`
      SELECT TABLE_NAME AS name, TABLE_TYPE AS table_type, ENGINE AS engine, TABLE_COLLATION AS collation,
        CREATE_OPTIONS AS create_options, TABLE_COMMENT AS comment
      FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED', 'VIEW', 'SEQUENCE')`,

    columns: sql<RawColumn>`
      SELECT TABLE_NAME AS table_name, COLUMN_NAME AS name, ORDINAL_POSITION AS ordinal,
        COLUMN_DEFAULT AS column_default, IS_NULLABLE AS is_nullable, DATA_TYPE AS data_type,
        COLUMN_TYPE AS column_type, CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation,
        EXTRA AS extra, GENERATION_EXPRESSION AS generation_expression, COLUMN_COMMENT AS comment
      FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE()`,

    indexColumns: sql<RawIndexColumn>`
      SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, NON_UNIQUE AS non_unique,
        SEQ_IN_INDEX AS seq_in_index, COLUMN_NAME AS column_name,
        ${columnIf(features.functionalKeyParts, 'EXPRESSION')} AS expression,
        COLLATION AS collation, SUB_PART AS sub_part, INDEX_TYPE AS index_type,
        COMMENT AS status_comment, INDEX_COMMENT AS index_comment,
        ${sql.raw(
          features.ignoredIndexes
            ? 'IGNORED'
            : features.invisibleIndexes
              ? "CASE IS_VISIBLE WHEN 'NO' THEN 'YES' ELSE 'NO' END"
              : 'NULL',
        )} AS hidden
      FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE()`,

    // Foreign key columns and actions are read apart and joined in the fold: a join of two
    // information_schema tables makes MariaDB rebuild the inner one for every outer row.
    foreignKeyColumns: sql<RawForeignKeyColumn>`
      SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, COLUMN_NAME AS column_name,
        ORDINAL_POSITION AS position, REFERENCED_TABLE_SCHEMA AS referenced_schema,
        REFERENCED_TABLE_NAME AS referenced_table, REFERENCED_COLUMN_NAME AS referenced_column
      FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL`,

    foreignKeyRules: sql<RawForeignKeyRule>`
      SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, UPDATE_RULE AS update_rule, DELETE_RULE AS delete_rule
      FROM information_schema.REFERENTIAL_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = DATABASE()`,

    checks: checkQuery(features),

    views: sql<RawView>`
      SELECT TABLE_NAME AS name, VIEW_DEFINITION AS definition, CHECK_OPTION AS check_option,
        SECURITY_TYPE AS security_type, ${columnIf(features.viewAlgorithm, 'ALGORITHM')} AS algorithm,
        DEFINER AS definer
      FROM information_schema.VIEWS
      WHERE TABLE_SCHEMA = DATABASE()`,

    // MariaDB packages (sql_mode=ORACLE) are left out: the model has no place for them.
    routines: sql<RawRoutine>`
      SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS kind, DTD_IDENTIFIER AS returns,
        CHARACTER_SET_NAME AS returns_charset, COLLATION_NAME AS returns_collation,
        ROUTINE_DEFINITION AS body, IS_DETERMINISTIC AS is_deterministic, SQL_DATA_ACCESS AS data_access,
        SECURITY_TYPE AS security_type, SQL_MODE AS sql_mode, ROUTINE_COMMENT AS comment, DEFINER AS definer
      FROM information_schema.ROUTINES
      WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE IN ('FUNCTION', 'PROCEDURE')`,

    // Position 0 is a function's return value, read from ROUTINES instead.
    parameters: sql<RawParameter>`
      SELECT SPECIFIC_NAME AS routine_name, ROUTINE_TYPE AS routine_kind, ORDINAL_POSITION AS position,
        PARAMETER_MODE AS mode, PARAMETER_NAME AS name, DTD_IDENTIFIER AS type,
        CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation
      FROM information_schema.PARAMETERS
      WHERE SPECIFIC_SCHEMA = DATABASE() AND ORDINAL_POSITION > 0`,

    triggers: sql<RawTrigger>`
      SELECT EVENT_OBJECT_TABLE AS table_name, TRIGGER_NAME AS name, EVENT_MANIPULATION AS event,
        ACTION_TIMING AS timing, ACTION_ORIENTATION AS orientation, ACTION_ORDER AS action_order,
        ACTION_STATEMENT AS statement, DEFINER AS definer
      FROM information_schema.TRIGGERS
      WHERE TRIGGER_SCHEMA = DATABASE()`,

    events: sql<RawEvent>`
      SELECT EVENT_NAME AS name, EVENT_DEFINITION AS definition, EVENT_TYPE AS event_type,
        EXECUTE_AT AS execute_at, INTERVAL_VALUE AS interval_value, INTERVAL_FIELD AS interval_field,
        STARTS AS starts, ENDS AS ends, STATUS AS status, ON_COMPLETION AS on_completion,
        TIME_ZONE AS time_zone, EVENT_COMMENT AS comment, DEFINER AS definer
      FROM information_schema.EVENTS
      WHERE EVENT_SCHEMA = DATABASE()`,

    // Every table has one row with PARTITION_NAME NULL; partitioned tables have one per (sub)partition.
    partitions: sql<RawPartition>`
      SELECT TABLE_NAME AS table_name, PARTITION_NAME AS name, SUBPARTITION_NAME AS subpartition_name,
        PARTITION_ORDINAL_POSITION AS position, SUBPARTITION_ORDINAL_POSITION AS subposition,
        PARTITION_METHOD AS method, SUBPARTITION_METHOD AS submethod,
        PARTITION_EXPRESSION AS expression, SUBPARTITION_EXPRESSION AS subexpression,
        PARTITION_DESCRIPTION AS description, PARTITION_COMMENT AS comment
      FROM information_schema.PARTITIONS
      WHERE TABLE_SCHEMA = DATABASE() AND PARTITION_NAME IS NOT NULL`,

    // A user sees only its own grants unless it may read the mysql schema.
    privileges: sql<RawPrivilege>`
      SELECT NULL AS table_name, GRANTEE AS grantee, PRIVILEGE_TYPE AS privilege, IS_GRANTABLE AS is_grantable
      FROM information_schema.SCHEMA_PRIVILEGES
      WHERE TABLE_SCHEMA = DATABASE()
      UNION ALL
      SELECT TABLE_NAME, GRANTEE, PRIVILEGE_TYPE, IS_GRANTABLE
      FROM information_schema.TABLE_PRIVILEGES
      WHERE TABLE_SCHEMA = DATABASE()`,
  };
}

function checkQuery(features: MysqlFeatures): RawBuilder<RawCheck> | null {
  if (!features.checkConstraints) return null;
  if (features.checkConstraintsHaveTable) {
    // MariaDB: column-level checks (LEVEL = 'Column') are named after their column.
    return sql<RawCheck>`
      SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause, 'YES' AS enforced
      FROM information_schema.CHECK_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = DATABASE()`;
  }
  // MySQL 8.0.16+ only, untested here: CHECK_CONSTRAINTS has no table, TABLE_CONSTRAINTS does
  // (check constraint names are unique per schema on MySQL).
  return sql<RawCheck>`
    SELECT tc.TABLE_NAME AS table_name, cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS clause, tc.ENFORCED AS enforced
    FROM information_schema.CHECK_CONSTRAINTS cc
    JOIN information_schema.TABLE_CONSTRAINTS tc
      ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME
      AND tc.CONSTRAINT_TYPE = 'CHECK'
    WHERE cc.CONSTRAINT_SCHEMA = DATABASE() AND tc.TABLE_SCHEMA = DATABASE()`;
}

/**
 * One query for the settings of every sequence: sequence tables can only be read one by one,
 * so their SELECTs are joined with UNION ALL. Names are quoted as identifiers (they cannot be
 * bound) and also passed as bound values to label the rows.
 */
export function sequenceSettingsQuery(names: readonly string[]): RawBuilder<RawSequenceSettings> {
  const selects = names.map(
    (name) => sql`SELECT ${name} AS name, start_value AS start, minimum_value AS min, maximum_value AS max,
      increment AS increment, cache_size AS cache, cycle_option AS cycle FROM ${sql.id(name)}`,
  );
  return sql<RawSequenceSettings>`${sql.join(selects, sql` UNION ALL `)}`;
}

/**
 * Runs every catalog query inside the caller's transaction: fourteen queries, plus one when
 * the database has sequences, whatever the size of the schema.
 */
export async function readMysqlCatalog(db: Kysely<any>, features: MysqlFeatures): Promise<MysqlCatalog> {
  const queries = mysqlCatalogQueries(features);
  const rows = async <Row>(query: RawBuilder<Row> | null): Promise<Row[]> => (query === null ? [] : (await query.execute(db)).rows);
  const [database] = await rows(queries.database);
  if (database === undefined) throw new Error('the connection has no current database (SELECT DATABASE() returned nothing)');
  const tables = await rows(queries.tables);
  const sequenceNames = features.sequences ? tables.filter((t) => t.table_type === 'SEQUENCE').map((t) => t.name) : [];
  return {
    database,
    tables,
    columns: await rows(queries.columns),
    indexColumns: await rows(queries.indexColumns),
    foreignKeyColumns: await rows(queries.foreignKeyColumns),
    foreignKeyRules: await rows(queries.foreignKeyRules),
    checks: await rows(queries.checks),
    views: await rows(queries.views),
    sequences: sequenceNames.length === 0 ? [] : await rows(sequenceSettingsQuery(sequenceNames)),
    routines: await rows(queries.routines),
    parameters: await rows(queries.parameters),
    triggers: await rows(queries.triggers),
    events: await rows(queries.events),
    partitions: await rows(queries.partitions),
    privileges: await rows(queries.privileges),
  };
}
