import type { Kysely } from 'kysely';
import type { Engine } from '../dialects/engine.js';
import type { MigrationVersion } from './version.js';

/** The migration tools whose folders schemaguard reads. */
export const MIGRATION_FORMATS = ['golang-migrate', 'flyway', 'dbmate', 'goose', 'diesel', 'kysely'] as const;
export type MigrationFormat = (typeof MIGRATION_FORMATS)[number];

export function isMigrationFormat(value: string): value is MigrationFormat {
  return (MIGRATION_FORMATS as readonly string[]).includes(value);
}

/** A file of the migration folder, as it is printed in messages. */
export interface MigrationFile {
  /** Absolute path, for reading. */
  readonly path: string;
  /** The folder as the user named it joined with the file's name: `migrations/0042_add_index.up.sql`. */
  readonly display: string;
}

/** One statement of a SQL script, cut out by the statement splitter. */
export interface SqlStatement {
  /** 1-based line of the statement's first character in the file. */
  readonly line: number;
  /** The statement as written (after template variables), without its terminator. */
  readonly text: string;
}

export interface SqlMigrationScript {
  readonly kind: 'sql';
  readonly file: MigrationFile;
  /** The script's SQL: the whole file, or its section for formats with up and down in one file. */
  readonly text: string;
  readonly statements: readonly SqlStatement[];
  /**
   * False when the format marks the script to run outside a transaction (`.autocommit`,
   * `-- +goose NO TRANSACTION`, `transaction:false`, `executeInTransaction=false`,
   * `run_in_transaction = false`): CREATE INDEX CONCURRENTLY and the like need that.
   */
  readonly transactional: boolean;
}

/** What a Kysely migration module exports as `up` or `down`. */
export type KyselyMigrationFunction = (db: Kysely<any>) => Promise<void>;

export interface ModuleMigrationScript {
  readonly kind: 'module';
  readonly file: MigrationFile;
  /** The exported function this script runs. */
  readonly exportName: 'up' | 'down';
  readonly run: KyselyMigrationFunction;
}

export type MigrationScript = SqlMigrationScript | ModuleMigrationScript;

export interface Migration {
  readonly version: MigrationVersion;
  /** The name part of the file name (`create_users`); Flyway's description with spaces. */
  readonly name: string;
  readonly format: MigrationFormat;
  readonly up: MigrationScript;
  /** Null when the folder has no down for this migration (the checker reports it; reading goes on). */
  readonly down: MigrationScript | null;
}

/** Something the reader left out or could not honour, said without failing the read. */
export interface MigrationNote {
  readonly file: MigrationFile;
  /** 1-based line, when the note is about one place in the file. */
  readonly line: number | null;
  readonly message: string;
}

/** A migration folder, read: its migrations in the order they apply. */
export interface MigrationSet {
  /** The folder as the user named it. */
  readonly folder: string;
  readonly format: MigrationFormat;
  /** The engine the statements were split for (and dialect-specific files chosen for). */
  readonly dialect: Engine;
  readonly migrations: readonly Migration[];
  readonly notes: readonly MigrationNote[];
}
