import { readFile } from 'node:fs/promises';
import { openDatabase } from '../dialects/connect.js';
import type { ConsistentRead, ReadOnlyConnection } from '../dialects/dialect.js';
import { parseSnapshot } from './canonical.js';
import type { SchemaSnapshot } from './model.js';
import { filterCaptured, withSqlFileDatabase, type CaptureRequest, type SnapshotSource } from './source.js';

/**
 * A source opened for reading data: its (filtered) schema snapshot, and — for a live database
 * or a loaded .sql file — a consistent read whose transaction stays open while `work` runs,
 * so rows can be streamed from it. A snapshot file has no live side: its stored data is used.
 */
export interface OpenSource {
  readonly source: SnapshotSource;
  readonly snapshot: SchemaSnapshot;
  readonly read: ConsistentRead | null;
}

export async function withOpenSource<T>(source: SnapshotSource, request: CaptureRequest, work: (side: OpenSource) => Promise<T>): Promise<T> {
  const inTransaction = (connection: ReadOnlyConnection) =>
    connection.readConsistent(async (read) => {
      const snapshot = filterCaptured(source, await read.captureSchema({ schemas: request.schemas }), request);
      return work({ source, snapshot, read });
    });
  switch (source.kind) {
    case 'snapshot-file': {
      const snapshot = filterCaptured(source, parseSnapshot(await readFile(source.path, 'utf8'), source.path), request);
      return work({ source, snapshot, read: null });
    }
    case 'database': {
      const connection = await openDatabase(source.url, 'read-only', { statementTimeoutMs: request.statementTimeoutMs });
      try {
        return await inTransaction(connection);
      } finally {
        await connection.close();
      }
    }
    case 'sql-file':
      return withSqlFileDatabase(source.path, request, inTransaction);
  }
}
