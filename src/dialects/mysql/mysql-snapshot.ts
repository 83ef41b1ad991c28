import type { Kysely } from 'kysely';
import type { SchemaSnapshot } from '../../snapshot/model.js';
import type { CaptureOptions } from '../dialect.js';
import type { ServerInfo } from '../engine.js';

/** Reads the catalog of the connected MySQL/MariaDB database. (Being written.) */
export async function captureMysqlSchema(_db: Kysely<any>, _server: ServerInfo, _options: CaptureOptions): Promise<SchemaSnapshot> {
  throw new Error('MySQL catalog capture is not written yet');
}
