import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../dialects/connect.js';
import { withDatabase, type DatabaseUrl, type ServerUrl } from '../dialects/database-url.js';
import { DEFAULT_STATEMENT_TIMEOUT_MS, type ScratchConnection } from '../dialects/dialect.js';
import { openServerAdmin } from '../dialects/server-admin.js';
import { registerCleanup } from './cleanup.js';
import { startContainer } from './docker-scratch.js';
import { newScratchName } from './scratch-name.js';
import type { ScratchTarget } from './scratch-target.js';

/** A database that exists only for the length of a check. */
export interface ScratchDatabase {
  readonly connection: ScratchConnection;
  /** Where it lives, e.g. to hand a URL to another tool (psql, mysqldump). */
  readonly url: DatabaseUrl;
  /**
   * A new scratch database holding a copy of this one (schema and rows), or null where the
   * engine cannot copy a database cheaply (MySQL, PGlite): the way back to a known state
   * without replaying every migration.
   */
  readonly copy: (() => Promise<ScratchDatabase>) | null;
  /** Removes the database (and container or temp file). Safe to call twice. */
  dispose(): Promise<void>;
}

export interface ScratchOptions {
  readonly statementTimeoutMs?: number;
}

/**
 * Creates a fresh, empty throwaway database. It is removed by `dispose()`, and — should the
 * process be interrupted first — by the SIGINT/SIGTERM handler.
 */
export async function createScratchDatabase(target: ScratchTarget, options: ScratchOptions = {}): Promise<ScratchDatabase> {
  const connectOptions = { statementTimeoutMs: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS };
  switch (target.kind) {
    case 'pglite': {
      const url: DatabaseUrl = { kind: 'pglite', engine: 'postgres', dataDir: null };
      const connection = await openDatabase(url, 'scratch', connectOptions);
      return guarded({ connection, url, copy: null }, async () => connection.close());
    }
    case 'sqlite':
      return createSqliteFile(connectOptions, null);
    case 'server':
      return createOnServer(target.url, connectOptions, async () => {});
    case 'docker': {
      const container = await startContainer(target.url);
      const unregister = registerCleanup(() => container.stop());
      try {
        return await createOnServer(container.url, connectOptions, async () => {
          await container.stop();
          unregister();
        });
      } catch (error) {
        await container.stop().catch(() => {});
        unregister();
        throw error;
      }
    }
  }
}

/** A SQLite scratch file in a temp folder of its own; `source` is copied into it when given. */
async function createSqliteFile(connectOptions: { statementTimeoutMs: number }, source: ScratchConnection | null): Promise<ScratchDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'schemaguard-'));
  const removeDir = registerCleanup(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'scratch.sqlite');
  const url: DatabaseUrl = { kind: 'sqlite', engine: 'sqlite', path };
  try {
    // VACUUM INTO writes a consistent copy of the whole database file.
    if (source !== null) await source.executeScript(`VACUUM INTO '${path.replaceAll("'", "''")}'`);
    const connection = await openDatabase(url, 'scratch', connectOptions);
    return guarded({ connection, url, copy: () => createSqliteFile(connectOptions, connection) }, async () => {
      await connection.close();
      await rm(dir, { recursive: true, force: true });
      removeDir();
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    removeDir();
    throw error;
  }
}

async function createOnServer(
  serverUrl: ServerUrl,
  connectOptions: { statementTimeoutMs: number },
  afterDrop: () => Promise<void>,
  template: string | null = null,
): Promise<ScratchDatabase> {
  const name = newScratchName();
  const admin = await openServerAdmin(serverUrl);
  let created = false;
  const drop = async () => {
    if (created) await admin.dropDatabase(name).catch(() => {});
    await admin.close();
    await afterDrop();
  };
  const unregister = registerCleanup(drop);
  try {
    if (template === null) await admin.createDatabase(name);
    else await admin.copyDatabase!(name, template);
    created = true;
    const url = withDatabase(serverUrl, name);
    let connection = await openDatabase(url, 'scratch', connectOptions);
    const copyDatabase = admin.copyDatabase;
    const copy =
      copyDatabase === null
        ? null
        : async () => {
            // A template database must have no one connected while it is copied.
            await connection.close();
            try {
              return await createOnServer(serverUrl, connectOptions, async () => {}, name);
            } finally {
              connection = await openDatabase(url, 'scratch', connectOptions);
            }
          };
    return guarded(
      {
        get connection() {
          return connection;
        },
        url,
        copy,
      },
      async () => {
        await connection.close().catch(() => {});
        await drop();
        unregister();
      },
    );
  } catch (error) {
    await drop();
    unregister();
    throw error;
  }
}

/** Adds a teardown that runs once, and on a signal if it has not run yet. */
function guarded(database: Omit<ScratchDatabase, 'dispose'>, teardown: () => Promise<void>): ScratchDatabase {
  let done: Promise<void> | undefined;
  const disposeOnce = () => (done ??= teardown());
  const unregister = registerCleanup(disposeOnce);
  // Property descriptors are kept: a server database's connection is reopened after a copy.
  return Object.defineProperties(
    {},
    {
      ...Object.getOwnPropertyDescriptors(database),
      dispose: {
        value: async () => {
          await disposeOnce();
          unregister();
        },
        enumerable: true,
      },
    },
  ) as ScratchDatabase;
}

/** Runs `work` on a fresh scratch database and always removes it afterwards. */
export async function withScratchDatabase<T>(
  target: ScratchTarget,
  work: (scratch: ScratchDatabase) => Promise<T>,
  options: ScratchOptions = {},
): Promise<T> {
  const scratch = await createScratchDatabase(target, options);
  try {
    return await work(scratch);
  } finally {
    await scratch.dispose();
  }
}
