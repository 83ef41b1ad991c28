import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SchemaguardError, messageOf } from '../core/errors.js';
import { redact } from '../core/secret.js';
import { openDatabase } from '../dialects/connect.js';
import { describeDatabaseUrl, looksLikeDatabaseUrl, parseDatabaseUrl, type DatabaseUrl } from '../dialects/database-url.js';
import type { Engine } from '../dialects/engine.js';
import { createScratchDatabase } from '../scratch/scratch-database.js';
import { defaultScratchTarget, scratchEngine, type ScratchTarget } from '../scratch/scratch-target.js';
import type { ScratchConnection } from '../dialects/dialect.js';
import { parseSnapshot } from './canonical.js';
import { excludeObjects } from './filter.js';
import type { SchemaSnapshot } from './model.js';

/** Where a snapshot comes from: a live database, a snapshot file, or a schema SQL file. */
export type SnapshotSource =
  | { readonly kind: 'database'; readonly url: DatabaseUrl }
  | { readonly kind: 'snapshot-file'; readonly path: string }
  | { readonly kind: 'sql-file'; readonly path: string };

export function describeSource(source: SnapshotSource): string {
  return source.kind === 'database' ? describeDatabaseUrl(source.url) : source.path;
}

/** Reads a command-line argument as a snapshot source. */
export function parseSnapshotSource(argument: string): SnapshotSource {
  const lower = argument.toLowerCase();
  if (lower.endsWith('.json')) return { kind: 'snapshot-file', path: requireFile(argument, 'snapshot file') };
  if (lower.endsWith('.sql')) return { kind: 'sql-file', path: requireFile(argument, 'SQL file') };
  if (looksLikeDatabaseUrl(argument)) return { kind: 'database', url: parseDatabaseUrl(argument) };
  if (/^[a-z][a-z0-9+.-]*:/i.test(argument) && !/^[a-z]:[\\/]/i.test(argument)) return { kind: 'database', url: parseDatabaseUrl(argument) };
  throw new SchemaguardError(`${JSON.stringify(argument)} is neither a database URL nor a snapshot (.json) or schema (.sql) file`, {
    hint: 'examples: postgres://user@host/db, mysql://root@host/db, sqlite:app.db, schema.json, schema.sql',
  });
}

function requireFile(path: string, what: string): string {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new SchemaguardError(`${what} not found: ${path}`, { hint: 'check the path' });
  if (!statSync(absolute).isFile()) throw new SchemaguardError(`${path} is not a file`);
  return absolute;
}

export interface CaptureRequest {
  /** Namespaces to read (empty: all). */
  readonly schemas: readonly string[];
  /** Glob patterns of objects to leave out. */
  readonly exclude: readonly string[];
  readonly statementTimeoutMs: number;
  /** Engine for a .sql source; otherwise checked against the source. */
  readonly dialect: Engine | null;
  /** Where a .sql source is loaded; defaults to the engine's embedded scratch database. */
  readonly scratch: ScratchTarget | null;
}

/** The engine a source speaks without opening it, when that can be known. */
export function sourceEngine(source: SnapshotSource): Engine | null {
  return source.kind === 'database' ? source.url.engine : null;
}

/** Produces the snapshot of a source. Live databases are read in read-only sessions. */
export async function captureSource(source: SnapshotSource, request: CaptureRequest): Promise<SchemaSnapshot> {
  return filterCaptured(source, await captureUnfiltered(source, request), request);
}

/** Checks the engine a source turned out to be, and applies --schema (to files) and --exclude. */
export function filterCaptured(source: SnapshotSource, snapshot: SchemaSnapshot, request: CaptureRequest): SchemaSnapshot {
  if (request.dialect !== null && snapshot.engine !== request.dialect && source.kind !== 'sql-file') {
    throw new SchemaguardError(`${describeSource(source)} is a ${snapshot.engine} schema, not ${request.dialect}`, {
      hint: 'drop --dialect, or pass a source of that engine',
    });
  }
  const inSchemas =
    request.schemas.length === 0 || source.kind !== 'snapshot-file' ? snapshot : keepSchemas(snapshot, request.schemas);
  return excludeObjects(inSchemas, request.exclude);
}

async function captureUnfiltered(source: SnapshotSource, request: CaptureRequest): Promise<SchemaSnapshot> {
  switch (source.kind) {
    case 'snapshot-file':
      return parseSnapshot(await readFile(source.path, 'utf8'), source.path);
    case 'database': {
      const connection = await openDatabase(source.url, 'read-only', { statementTimeoutMs: request.statementTimeoutMs });
      try {
        return await connection.captureSchema({ schemas: request.schemas });
      } finally {
        await connection.close();
      }
    }
    case 'sql-file':
      return captureSqlFile(source.path, request);
  }
}

async function captureSqlFile(path: string, request: CaptureRequest): Promise<SchemaSnapshot> {
  return withSqlFileDatabase(path, request, (connection) => connection.captureSchema({ schemas: request.schemas }));
}

/** Loads a .sql file into a throwaway database, runs `work` on it, and removes the database. */
export async function withSqlFileDatabase<T>(path: string, request: CaptureRequest, work: (connection: ScratchConnection) => Promise<T>): Promise<T> {
  const engine = request.dialect ?? (request.scratch === null ? null : scratchEngine(request.scratch));
  if (engine === null) {
    throw new SchemaguardError(`cannot tell which engine ${path} is written for`, {
      hint: 'add --dialect postgres|mysql|sqlite (a .sql file is loaded into a throwaway database of that engine)',
    });
  }
  const script = await readFile(path, 'utf8');
  const scratch = await createScratchDatabase(request.scratch ?? defaultScratchTarget(engine), {
    statementTimeoutMs: request.statementTimeoutMs,
  });
  try {
    try {
      await scratch.connection.executeScript(script);
    } catch (error) {
      throw new SchemaguardError(`${path}: ${redact(messageOf(error))}${lineHint(script, error)}`, {
        hint: `fix the SQL, or check it is written for ${engine}`,
        cause: error,
      });
    }
    return await work(scratch.connection);
  } finally {
    await scratch.dispose();
  }
}

/** ` (line 12)` from a PostgreSQL error position, when the driver gives one. */
function lineHint(script: string, error: unknown): string {
  const position = Number((error as { position?: unknown }).position);
  if (!Number.isInteger(position) || position <= 0) return '';
  return ` (line ${script.slice(0, position - 1).split('\n').length})`;
}

function keepSchemas(snapshot: SchemaSnapshot, schemas: readonly string[]): SchemaSnapshot {
  const wanted = new Set(schemas);
  const inWanted = (item: { schema: string }) => wanted.has(item.schema);
  return {
    ...(snapshot.data === undefined ? {} : { data: snapshot.data.filter(inWanted) }),
    ...snapshot,
    namespaces: snapshot.namespaces.filter((n) => wanted.has(n.name)),
    tables: snapshot.tables.filter(inWanted),
    views: snapshot.views.filter(inWanted),
    sequences: snapshot.sequences.filter(inWanted),
    types: snapshot.types.filter(inWanted),
    routines: snapshot.routines.filter(inWanted),
    triggers: snapshot.triggers.filter(inWanted),
    events: snapshot.events.filter(inWanted),
    rules: snapshot.rules.filter(inWanted),
  };
}
