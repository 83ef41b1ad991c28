import { z } from 'zod';

/**
 * The snapshot model: what a database *is*, as plain data every engine inspects into and
 * every checker reads. The zod schemas are the single source of truth: the TypeScript types
 * are inferred from them, snapshot files are validated against them on read, and
 * docs/snapshot.schema.json is generated from them (npm run schema:json).
 *
 * Conventions
 * - Absent attributes are `null` (never missing), lists are `[]`: every snapshot of an engine
 *   has the same shape, and a diff of two files shows values, not keys coming and going.
 * - Expressions (defaults, checks, predicates, view bodies) are the engine's own canonical
 *   rendering, so a database restored from a dump of another snapshots identically.
 * - Numbers that may exceed 2^53 (sequence bounds) are strings.
 * - A snapshot never holds the database's own name: for MySQL the connected database is the
 *   namespace `main` (as in SQLite), and references to it are stored unqualified.
 */

export const SNAPSHOT_FORMAT = 'schemaguard-snapshot';
export const SNAPSHOT_FORMAT_VERSION = 1;

/** The namespace name that stands for "the database itself" on MySQL and SQLite. */
export const DATABASE_NAMESPACE = 'main';

const name = z.string().min(1);
const nullableText = z.string().nullable();

export const EngineSchema = z.enum(['postgres', 'mysql', 'sqlite']);
export const ServerProductSchema = z.enum(['PostgreSQL', 'PGlite', 'MySQL', 'MariaDB', 'SQLite']);

export const DeferrableSchema = z
  .enum(['not deferrable', 'initially immediate', 'initially deferred'])
  .describe('"initially immediate" and "initially deferred" are both DEFERRABLE');
export const ReferentialActionSchema = z.enum(['no action', 'restrict', 'cascade', 'set null', 'set default']);

/** One privilege granted on an object (PostgreSQL ACLs, MySQL table/schema privileges). */
export const GrantSchema = z.strictObject({
  /** Role or `user@host`; `PUBLIC` for everyone. */
  grantee: name,
  /** `SELECT`, `INSERT`, `EXECUTE`, `USAGE`… */
  privilege: z.string(),
  grantable: z.boolean(),
});

/**
 * Who owns an object (PostgreSQL owner, MySQL DEFINER) and what others may do with it.
 * Written as `null` / `[]` by engines without them (SQLite); a reader accepts files that
 * leave them out. Grants held by the owner itself are not listed: they are the owner's by right.
 */
const ownership = {
  owner: nullableText.optional(),
  grants: z.array(GrantSchema).optional(),
};

export const NamespaceSchema = z.strictObject({
  name,
  comment: nullableText,
  ...ownership,
});

export const IdentitySchema = z.strictObject({
  generation: z.enum(['always', 'by default']),
  start: z.string(),
  increment: z.string(),
  min: z.string(),
  max: z.string(),
  cache: z.string(),
  cycle: z.boolean(),
});

export const GeneratedSchema = z.strictObject({
  expression: z.string(),
  storage: z.enum(['stored', 'virtual']),
});

export const ColumnSchema = z.strictObject({
  name,
  /** 1-based position among the table's live columns (dropped columns leave no gap). */
  ordinal: z.number().int().positive(),
  /** The type as the engine spells it: `character varying(255)`, `int(10) unsigned`, `TEXT`. */
  type: z.string(),
  /** Engine-neutral type used for cross-engine comparison: `integer`, `varchar(255)`, `timestamptz`… */
  normalizedType: z.string(),
  nullable: z.boolean(),
  default: nullableText,
  identity: IdentitySchema.nullable(),
  autoIncrement: z.boolean(),
  generated: GeneratedSchema.nullable(),
  collation: nullableText,
  charset: nullableText,
  /** MySQL `ON UPDATE CURRENT_TIMESTAMP`. */
  onUpdate: nullableText,
  comment: nullableText,
});

export const PrimaryKeySchema = z.strictObject({
  name: nullableText,
  columns: z.array(name).min(1),
  /** Filled with null by canonicalizeSnapshot where the engine has no constraint comments. */
  comment: nullableText.optional(),
});

export const UniqueConstraintSchema = z.strictObject({
  name: nullableText,
  columns: z.array(name).min(1),
  nullsNotDistinct: z.boolean(),
  deferrable: DeferrableSchema,
  comment: nullableText,
});

export const ForeignKeySchema = z.strictObject({
  name: nullableText,
  columns: z.array(name).min(1),
  referencedSchema: name,
  referencedTable: name,
  /** Empty when the engine allows an implicit reference to the primary key (SQLite). */
  referencedColumns: z.array(name),
  onUpdate: ReferentialActionSchema,
  onDelete: ReferentialActionSchema,
  match: z.enum(['simple', 'full', 'partial']),
  deferrable: DeferrableSchema,
  validated: z.boolean(),
  comment: nullableText,
});

export const CheckConstraintSchema = z.strictObject({
  name: nullableText,
  expression: z.string(),
  validated: z.boolean(),
  comment: nullableText,
});

export const ExclusionConstraintSchema = z.strictObject({
  name,
  /** `EXCLUDE USING gist (…)` as pg_get_constraintdef renders it. */
  definition: z.string(),
  deferrable: DeferrableSchema,
  comment: nullableText,
});

const indexKeyCommon = {
  order: z.enum(['asc', 'desc']),
  /** `null` is the engine's default placement. */
  nulls: z.enum(['first', 'last']).nullable(),
  opclass: nullableText,
  collation: nullableText,
  /** MySQL prefix length: `KEY (name(10))`. */
  prefixLength: z.number().int().positive().nullable(),
};

export const IndexKeySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('column'), column: name, ...indexKeyCommon }),
  z.strictObject({ kind: z.literal('expression'), expression: z.string(), ...indexKeyCommon }),
]);

export const IndexSchema = z.strictObject({
  name,
  unique: z.boolean(),
  /** `btree`, `gin`, `hash`…; MySQL `BTREE`, `FULLTEXT`, `SPATIAL`; `null` on SQLite. */
  method: nullableText,
  keys: z.array(IndexKeySchema).min(1),
  include: z.array(name),
  predicate: nullableText,
  nullsNotDistinct: z.boolean(),
  /** Engine-specific extras: storage parameters, tablespace, visibility, parser. */
  options: z.record(z.string(), z.string()),
  comment: nullableText,
});

export const PartitionSchema = z.strictObject({
  name,
  /** `VALUES LESS THAN (2020)`, `VALUES IN (1,2)`… */
  bound: z.string(),
  comment: nullableText,
});

export const PartitioningSchema = z.strictObject({
  strategy: z.enum(['range', 'list', 'hash', 'key', 'range columns', 'list columns', 'linear hash', 'linear key']),
  /** The partition key as the engine renders it: `RANGE (payment_date)` → `payment_date`. */
  key: z.string(),
  /** Partitions declared inside the table (MySQL). PostgreSQL partitions are tables with `partitionOf`. */
  partitions: z.array(PartitionSchema),
  subpartitioning: nullableText,
});

export const PartitionOfSchema = z.strictObject({
  schema: name,
  table: name,
  /** `FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')`, `DEFAULT`. */
  bound: z.string(),
});

export const PolicySchema = z.strictObject({
  name,
  permissive: z.boolean(),
  command: z.enum(['all', 'select', 'insert', 'update', 'delete']),
  roles: z.array(name),
  using: nullableText,
  withCheck: nullableText,
  comment: nullableText,
});

export const TableSchema = z.strictObject({
  schema: name,
  name,
  columns: z.array(ColumnSchema),
  primaryKey: PrimaryKeySchema.nullable(),
  uniqueConstraints: z.array(UniqueConstraintSchema),
  foreignKeys: z.array(ForeignKeySchema),
  checks: z.array(CheckConstraintSchema),
  exclusions: z.array(ExclusionConstraintSchema),
  indexes: z.array(IndexSchema),
  policies: z.array(PolicySchema),
  partitioning: PartitioningSchema.nullable(),
  partitionOf: PartitionOfSchema.nullable(),
  /** Qualified names of parent tables (PostgreSQL INHERITS). */
  inherits: z.array(name),
  /**
   * Engine-specific table options, only where they are not the engine default:
   * MySQL `engine`, `charset`, `collation`, `row_format`; PostgreSQL `persistence`,
   * `row_security`, storage parameters, `foreign_server`; SQLite `without_rowid`, `strict`.
   */
  options: z.record(z.string(), z.string()),
  comment: nullableText,
  ...ownership,
});

export const ViewColumnSchema = z.strictObject({
  name,
  type: z.string(),
});

export const ViewSchema = z.strictObject({
  schema: name,
  name,
  materialized: z.boolean(),
  /** The engine's canonical rendering of the query (pg_get_viewdef, information_schema, sqlite_schema). */
  definition: z.string(),
  columns: z.array(ViewColumnSchema),
  checkOption: z.enum(['local', 'cascaded']).nullable(),
  /** security_barrier, security_invoker (PostgreSQL), algorithm, security (MySQL)… */
  options: z.record(z.string(), z.string()),
  /** Indexes on a materialized view. */
  indexes: z.array(IndexSchema),
  comment: nullableText,
  ...ownership,
});

export const SequenceSchema = z.strictObject({
  schema: name,
  name,
  dataType: z.string(),
  start: z.string(),
  increment: z.string(),
  min: z.string(),
  max: z.string(),
  cache: z.string(),
  cycle: z.boolean(),
  /** The column a serial sequence belongs to (OWNED BY). */
  ownedBy: z.strictObject({ table: name, column: name }).nullable(),
  comment: nullableText,
  ...ownership,
});

export const EnumTypeSchema = z.strictObject({
  kind: z.literal('enum'),
  schema: name,
  name,
  values: z.array(z.string()),
  comment: nullableText,
  ...ownership,
});

export const DomainTypeSchema = z.strictObject({
  kind: z.literal('domain'),
  schema: name,
  name,
  baseType: z.string(),
  nullable: z.boolean(),
  default: nullableText,
  collation: nullableText,
  checks: z.array(CheckConstraintSchema),
  comment: nullableText,
  ...ownership,
});

export const CompositeTypeSchema = z.strictObject({
  kind: z.literal('composite'),
  schema: name,
  name,
  attributes: z.array(z.strictObject({ name, type: z.string(), collation: nullableText })),
  comment: nullableText,
  ...ownership,
});

export const RangeTypeSchema = z.strictObject({
  kind: z.literal('range'),
  schema: name,
  name,
  subtype: z.string(),
  comment: nullableText,
  ...ownership,
});

export const UserTypeSchema = z.discriminatedUnion('kind', [
  EnumTypeSchema,
  DomainTypeSchema,
  CompositeTypeSchema,
  RangeTypeSchema,
]);

export const RoutineSchema = z.strictObject({
  schema: name,
  name,
  kind: z.enum(['function', 'procedure', 'aggregate', 'window']),
  /** `name(type, type)`: what tells overloads apart. */
  signature: z.string(),
  /** The full argument list as the engine renders it: modes, names, types, defaults. */
  arguments: z.string(),
  returns: nullableText,
  language: z.string(),
  body: z.string(),
  volatility: z.enum(['immutable', 'stable', 'volatile']).nullable(),
  security: z.enum(['invoker', 'definer']),
  /** PostgreSQL STRICT (RETURNS NULL ON NULL INPUT). */
  strict: z.boolean().nullable(),
  parallel: z.enum(['safe', 'restricted', 'unsafe']).nullable(),
  /** MySQL DETERMINISTIC. */
  deterministic: z.boolean().nullable(),
  /** MySQL CONTAINS SQL / NO SQL / READS SQL DATA / MODIFIES SQL DATA. */
  dataAccess: nullableText,
  /** `SET search_path = …` and similar (PostgreSQL proconfig). */
  settings: z.array(z.string()),
  comment: nullableText,
  ...ownership,
});

export const TriggerSchema = z.strictObject({
  schema: name,
  table: name,
  name,
  timing: z.enum(['before', 'after', 'instead of']),
  events: z.array(z.enum(['insert', 'update', 'delete', 'truncate'])).min(1),
  /** `UPDATE OF a, b`. */
  updateColumns: z.array(name),
  level: z.enum(['row', 'statement']),
  condition: nullableText,
  /** The body (MySQL, SQLite) or `EXECUTE FUNCTION f()` (PostgreSQL). */
  action: z.string(),
  /** PostgreSQL: the trigger function's qualified name. */
  function: nullableText,
  enabled: z.enum(['always', 'origin', 'replica', 'disabled']),
  /** PostgreSQL CONSTRAINT TRIGGER, with its deferrability. */
  constraintTrigger: DeferrableSchema.nullable(),
  /** MySQL action order among triggers of the same timing and event. */
  order: z.number().int().nullable(),
  comment: nullableText,
  /** MySQL DEFINER. */
  owner: nullableText.optional(),
});

export const ExtensionSchema = z.strictObject({
  name,
  schema: name,
  version: z.string(),
});

export const EventSchema = z.strictObject({
  schema: name,
  name,
  /** `EVERY 1 DAY STARTS …` or `AT …`. */
  schedule: z.string(),
  status: z.string(),
  onCompletion: z.enum(['preserve', 'not preserve']),
  body: z.string(),
  comment: nullableText,
  /** MySQL DEFINER. */
  owner: nullableText.optional(),
});

export const RuleSchema = z.strictObject({
  schema: name,
  table: name,
  name,
  definition: z.string(),
  comment: nullableText,
});

export const EventTriggerSchema = z.strictObject({
  name,
  event: z.string(),
  tags: z.array(z.string()),
  function: z.string(),
  enabled: z.enum(['always', 'origin', 'replica', 'disabled']),
  comment: nullableText,
});

/**
 * What a column's values are, engine-neutrally, for data snapshots: it decides how a value is
 * rendered in stored rows (booleans as JSON booleans, everything else as text) and how key
 * values are ordered (integers and decimals by value, temporal values by instant, the rest by
 * code point). docs/snapshot-format.md#data lists the canonical text of each.
 */
export const ValueKindSchema = z.enum([
  'integer',
  'decimal',
  'float',
  'boolean',
  'text',
  'binary',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
  'json',
  'uuid',
  'array',
  'other',
]);

/** A stored value: its canonical text, a boolean, or null for SQL NULL. */
export const DataValueSchema = z.union([z.string(), z.boolean(), z.null()]);

export const DataColumnSchema = z.strictObject({
  name,
  kind: ValueKindSchema,
});

/** The data of one table: always its row count and content fingerprint, and its rows when few. */
export const TableDataSchema = z.strictObject({
  schema: name,
  table: name,
  /** Every column, in table order: the order of the values in each row. */
  columns: z.array(DataColumnSchema),
  /** The primary key's columns; empty when the table has none (rows are then ordered by all columns). */
  keyColumns: z.array(name),
  rowCount: z.number().int().nonnegative(),
  /**
   * Order-independent hash of the rows' canonical encoding: `mmh3x86-128-sum:` and 32 hex
   * digits, the sum modulo 2^128 of each row's MurmurHash3 (x86, 128-bit).
   */
  fingerprint: z.string().regex(/^[a-z0-9-]+:[0-9a-f]{32}$/),
  /** The rows, ordered by key, when the table had no more than the rows limit; otherwise null. */
  rows: z.array(z.array(DataValueSchema)).nullable(),
});

export const SnapshotHeaderSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  formatVersion: z.literal(SNAPSHOT_FORMAT_VERSION),
  engine: EngineSchema,
  /** Recorded for the reader; never compared. */
  server: z.strictObject({ product: ServerProductSchema, version: z.string() }),
});

export const SchemaSnapshotSchema = SnapshotHeaderSchema.extend({
  namespaces: z.array(NamespaceSchema),
  tables: z.array(TableSchema),
  views: z.array(ViewSchema),
  sequences: z.array(SequenceSchema),
  types: z.array(UserTypeSchema),
  routines: z.array(RoutineSchema),
  triggers: z.array(TriggerSchema),
  extensions: z.array(ExtensionSchema),
  events: z.array(EventSchema),
  rules: z.array(RuleSchema),
  eventTriggers: z.array(EventTriggerSchema),
  /** Data snapshots only (`snapshot --data`): per table, row count, fingerprint and small tables' rows. */
  data: z.array(TableDataSchema).optional(),
});

export type Deferrable = z.infer<typeof DeferrableSchema>;
export type ReferentialAction = z.infer<typeof ReferentialActionSchema>;
export type Grant = z.infer<typeof GrantSchema>;
export type Namespace = z.infer<typeof NamespaceSchema>;
export type Identity = z.infer<typeof IdentitySchema>;
export type Generated = z.infer<typeof GeneratedSchema>;
export type Column = z.infer<typeof ColumnSchema>;
export type PrimaryKey = z.infer<typeof PrimaryKeySchema>;
export type UniqueConstraint = z.infer<typeof UniqueConstraintSchema>;
export type ForeignKey = z.infer<typeof ForeignKeySchema>;
export type CheckConstraint = z.infer<typeof CheckConstraintSchema>;
export type ExclusionConstraint = z.infer<typeof ExclusionConstraintSchema>;
export type IndexKey = z.infer<typeof IndexKeySchema>;
export type Index = z.infer<typeof IndexSchema>;
export type Partition = z.infer<typeof PartitionSchema>;
export type Partitioning = z.infer<typeof PartitioningSchema>;
export type PartitionOf = z.infer<typeof PartitionOfSchema>;
export type Policy = z.infer<typeof PolicySchema>;
export type Table = z.infer<typeof TableSchema>;
export type ViewColumn = z.infer<typeof ViewColumnSchema>;
export type View = z.infer<typeof ViewSchema>;
export type Sequence = z.infer<typeof SequenceSchema>;
export type EnumType = z.infer<typeof EnumTypeSchema>;
export type DomainType = z.infer<typeof DomainTypeSchema>;
export type CompositeType = z.infer<typeof CompositeTypeSchema>;
export type RangeType = z.infer<typeof RangeTypeSchema>;
export type UserType = z.infer<typeof UserTypeSchema>;
export type Routine = z.infer<typeof RoutineSchema>;
export type Trigger = z.infer<typeof TriggerSchema>;
export type Extension = z.infer<typeof ExtensionSchema>;
export type DatabaseEvent = z.infer<typeof EventSchema>;
export type Rule = z.infer<typeof RuleSchema>;
export type EventTrigger = z.infer<typeof EventTriggerSchema>;
export type ValueKind = z.infer<typeof ValueKindSchema>;
export type DataValue = z.infer<typeof DataValueSchema>;
export type DataColumn = z.infer<typeof DataColumnSchema>;
export type TableData = z.infer<typeof TableDataSchema>;
export type SnapshotHeader = z.infer<typeof SnapshotHeaderSchema>;
export type SchemaSnapshot = z.infer<typeof SchemaSnapshotSchema>;

/** The object lists of a snapshot, by the key they sit under. */
export type ObjectListKey = Exclude<keyof SchemaSnapshot, keyof SnapshotHeader | 'data'>;
