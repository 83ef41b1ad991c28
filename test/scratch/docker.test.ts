import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, type DockerUrl } from '../../src/dialects/database-url.js';
import { containerSpec, dockerAvailability } from '../../src/scratch/docker-scratch.js';
import { withScratchDatabase } from '../../src/scratch/scratch-database.js';

const docker = await dockerAvailability();
if (!docker.available) console.warn(`skipping Docker integration tests: no Docker engine is reachable (${docker.reason})`);

const dockerUrl = (text: string) => parseDatabaseUrl(text) as DockerUrl;

describe('docker: URLs', () => {
  it('ask testcontainers for the image, admin user and port of each engine', () => {
    expect(containerSpec(dockerUrl('docker:postgres:16'))).toEqual({
      image: 'postgres:16',
      flavor: 'postgres',
      database: 'schemaguard',
      user: 'postgres',
      port: 5432,
    });
    expect(containerSpec(dockerUrl('docker:mysql:8'))).toMatchObject({ image: 'mysql:8', flavor: 'mysql', user: 'root', port: 3306 });
    expect(containerSpec(dockerUrl('docker:mariadb:11'))).toMatchObject({ image: 'mariadb:11', flavor: 'mariadb', port: 3306 });
    expect(containerSpec(dockerUrl('docker:postgis/postgis:16-3.4'))).toMatchObject({ flavor: 'postgres' });
  });

  it.skipIf(docker.available)('fail with one clear line when no Docker engine is reachable', async () => {
    await expect(withScratchDatabase({ kind: 'docker', url: dockerUrl('docker:postgres:16') }, async () => undefined)).rejects.toThrow(
      /cannot start docker:postgres:16: no Docker engine is reachable/,
    );
  });

  it.skipIf(!docker.available)('start a throwaway PostgreSQL container, use it and remove it', async () => {
    const tables = await withScratchDatabase({ kind: 'docker', url: dockerUrl('docker:postgres:16') }, async (scratch) => {
      await scratch.connection.executeScript('CREATE TABLE t (id int PRIMARY KEY)');
      return (await scratch.connection.captureSchema({ schemas: [] })).tables.map((t) => t.name);
    });
    expect(tables).toEqual(['t']);
  });

  it.skipIf(!docker.available)('start a throwaway MariaDB container', async () => {
    const engine = await withScratchDatabase({ kind: 'docker', url: dockerUrl('docker:mariadb:11') }, async (scratch) => scratch.connection.server.product);
    expect(engine).toBe('MariaDB');
  });
});
