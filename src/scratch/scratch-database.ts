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
      return guarded(connection, url, async () => connection.close());
    }
    case 'sqlite': {
      const dir = await mkdtemp(join(tmpdir(), 'schemaguard-'));
      const removeDir = registerCleanup(() => rm(dir, { recursive: true, force: true }));
      const url: DatabaseUrl = { kind: 'sqlite', engine: 'sqlite', path: join(dir, 'scratch.sqlite') };
      try {
        const connection = await openDatabase(url, 'scratch', connectOptions);
        return guarded(connection, url, async () => {
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

async function createOnServer(
  serverUrl: ServerUrl,
  connectOptions: { statementTimeoutMs: number },
  afterDrop: () => Promise<void>,
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
    await admin.createDatabase(name);
    created = true;
    const url = withDatabase(serverUrl, name);
    const connection = await openDatabase(url, 'scratch', connectOptions);
    return guarded(connection, url, async () => {
      await connection.close().catch(() => {});
      await drop();
      unregister();
    });
  } catch (error) {
    await drop();
    unregister();
    throw error;
  }
}

/** Wraps the teardown so it runs once, and on a signal if it has not run yet. */
function guarded(connection: ScratchConnection, url: DatabaseUrl, teardown: () => Promise<void>): ScratchDatabase {
  let done: Promise<void> | undefined;
  const disposeOnce = () => (done ??= teardown());
  const unregister = registerCleanup(disposeOnce);
  return {
    connection,
    url,
    dispose: async () => {
      await disposeOnce();
      unregister();
    },
  };
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
