import type { Kysely } from 'kysely';
import type { SchemaSnapshot } from '../../snapshot/model.js';
import type { CaptureOptions } from '../dialect.js';
import type { ServerInfo } from '../engine.js';

/** Reads the schema of a SQLite database. (Being written.) */
export async function captureSqliteSchema(_db: Kysely<any>, _server: ServerInfo, _options: CaptureOptions): Promise<SchemaSnapshot> {
  throw new Error('SQLite schema capture is not written yet');
}
