import type { Kysely } from 'kysely';
import type { SchemaSnapshot, Table, ValueKind } from '../snapshot/model.js';
import type { Engine, ServerInfo } from './engine.js';

/** What to read from the catalogs. */
export interface CaptureOptions {
  /** Namespaces to capture; empty means every user namespace. Ignored by SQLite (always `main`). */
  readonly schemas: readonly string[];
}

/**
 * A connection schemaguard only reads through. Sessions are read-only on the server side
 * (default_transaction_read_only, SET SESSION TRANSACTION READ ONLY, SQLite opened
 * read-only) and carry a statement timeout, so even a bug here cannot write.
 */
export interface ReadOnlyConnection {
  readonly engine: Engine;
  readonly server: ServerInfo;
  /** The target as it may be printed (password masked). */
  readonly description: string;
  /** The kysely instance, for typed read queries. */
  readonly db: Kysely<any>;
  /** Reads the schema in one consistent read-only transaction, with a fixed number of queries. */
  captureSchema(options: CaptureOptions): Promise<SchemaSnapshot>;
  /**
   * Runs `work` inside one read-only transaction with a consistent view of the database
   * (REPEATABLE READ on PostgreSQL, a consistent snapshot on MySQL/MariaDB, a read transaction
   * on SQLite): the schema and every table's rows read through `read` belong to one moment.
   */
  readConsistent<T>(work: (read: ConsistentRead) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What can be read inside a consistent read-only transaction. */
export interface ConsistentRead {
  captureSchema(options: CaptureOptions): Promise<SchemaSnapshot>;
  /**
   * The rows of `table` (a table of `snapshot`), or null for a table with no rows of its own
   * to read (a PostgreSQL partitioned parent, whose rows are its partitions', or a foreign table).
   */
  scanTable(table: Table, snapshot: SchemaSnapshot): TableScan | null;
}

/** One table's rows as a data snapshot reads them (docs/snapshot-format.md#data). */
export interface TableScan {
  /** The kind of each column's values, in table order. */
  readonly kinds: readonly ValueKind[];
  /**
   * The rows' canonical encodings (src/snapshot/data-values.ts), in chunks that each hold
   * whole rows, every row ended by a newline. `key` order is the order of
   * src/snapshot/data-order.ts over the primary key; `any` is whatever is fastest.
   */
  rows(order: 'any' | 'key'): AsyncIterable<Buffer>;
}

/**
 * A connection to a database the user handed over as scratch (or one schemaguard created):
 * the only kind that can run DDL and DML.
 */
export interface ScratchConnection extends ReadOnlyConnection {
  readonly writable: true;
  /** Runs a script of one or more statements, as written. */
  executeScript(sql: string): Promise<void>;
}

export type AccessMode = 'read-only' | 'scratch';

export interface ConnectOptions {
  /** Statement timeout in milliseconds (0 disables it). */
  readonly statementTimeoutMs: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** Object kinds an engine has, for saying "not supported by SQLite" instead of "0". */
export type ObjectKind =
  | 'namespaces'
  | 'tables'
  | 'views'
  | 'materializedViews'
  | 'sequences'
  | 'enums'
  | 'domains'
  | 'compositeTypes'
  | 'rangeTypes'
  | 'routines'
  | 'triggers'
  | 'extensions'
  | 'events'
  | 'rules'
  | 'eventTriggers'
  | 'policies'
  | 'exclusionConstraints'
  | 'partitioning'
  | 'comments';

export interface EngineCapabilities {
  readonly engine: Engine;
  readonly displayName: string;
  readonly supported: ReadonlySet<ObjectKind>;
}
