import { describe, expect, it } from 'vitest';
import { SchemaguardError } from '../../src/core/errors.js';
import { redact } from '../../src/core/secret.js';
import { describeDatabaseUrl, parseDatabaseUrl } from '../../src/dialects/database-url.js';

describe('database URLs', () => {
  it('parses a PostgreSQL URL with every part', () => {
    const url = parseDatabaseUrl('postgresql://app:s3cr%40t@db.internal:6543/shop?sslmode=require&application_name=x');
    expect(url).toMatchObject({
      kind: 'server',
      engine: 'postgres',
      host: 'db.internal',
      port: 6543,
      user: 'app',
      database: 'shop',
      sslMode: 'require',
      params: { application_name: 'x' },
    });
    expect(url.kind === 'server' && url.password?.reveal()).toBe('s3cr@t');
  });

  it('never prints the password, in any form', () => {
    const url = parseDatabaseUrl('postgres://app:hunter2pw@localhost/shop');
    expect(describeDatabaseUrl(url)).toBe('postgres://app:***@localhost:5432/shop');
    expect(JSON.stringify(url)).not.toContain('hunter2pw');
    expect(String((url as { password: unknown }).password)).toBe('***');
    expect(redact('failed for hunter2pw')).toBe('failed for ***');
  });

  it('takes the password from PGPASSWORD and MYSQL_PWD when the URL has none', () => {
    const pg = parseDatabaseUrl('postgres://app@localhost/shop', { PGPASSWORD: 'frompgenv' });
    const my = parseDatabaseUrl('mysql://root@localhost/shop', { MYSQL_PWD: 'frommyenv' });
    expect(pg.kind === 'server' && pg.password?.reveal()).toBe('frompgenv');
    expect(my.kind === 'server' && my.password?.reveal()).toBe('frommyenv');
    expect(describeDatabaseUrl(pg)).toBe('postgres://app:***@localhost:5432/shop');
  });

  it('reads mysql and mariadb URLs as the mysql engine with port 3306', () => {
    expect(parseDatabaseUrl('mysql://root@127.0.0.1/test')).toMatchObject({ engine: 'mysql', port: 3306, scheme: 'mysql' });
    expect(parseDatabaseUrl('mariadb://root@127.0.0.1:3307/test')).toMatchObject({ engine: 'mysql', port: 3307, scheme: 'mariadb' });
  });

  it('accepts a Unix socket for either server', () => {
    expect(parseDatabaseUrl('postgres://me@/app?host=/var/run/postgresql')).toMatchObject({ socketPath: '/var/run/postgresql', database: 'app' });
    expect(parseDatabaseUrl('mysql://me@localhost/app?socket=/run/mysqld/mysqld.sock')).toMatchObject({ socketPath: '/run/mysqld/mysqld.sock' });
  });

  it('reads SQLite paths in every spelling', () => {
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', engine: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('sqlite:///tmp/app.db')).toMatchObject({ path: '/tmp/app.db' });
    expect(parseDatabaseUrl('sqlite:/tmp/app.db')).toMatchObject({ path: '/tmp/app.db' });
    expect(parseDatabaseUrl('data/app.sqlite3')).toMatchObject({ kind: 'sqlite', path: expect.stringMatching(/data\/app\.sqlite3$/) });
    expect(parseDatabaseUrl('./x.db')).toMatchObject({ kind: 'sqlite' });
  });

  it('reads PGlite in memory and on a directory', () => {
    expect(parseDatabaseUrl('pglite:')).toEqual({ kind: 'pglite', engine: 'postgres', dataDir: null });
    expect(parseDatabaseUrl('pglite:/tmp/pgdata')).toEqual({ kind: 'pglite', engine: 'postgres', dataDir: '/tmp/pgdata' });
  });

  it('reads docker URLs with the engine of the image and a default tag', () => {
    expect(parseDatabaseUrl('docker:postgres:16')).toEqual({ kind: 'docker', engine: 'postgres', image: 'postgres:16', flavor: 'postgres' });
    expect(parseDatabaseUrl('docker:mysql:8')).toMatchObject({ engine: 'mysql', image: 'mysql:8', flavor: 'mysql' });
    expect(parseDatabaseUrl('docker:mariadb')).toMatchObject({ engine: 'mysql', image: 'mariadb:11', flavor: 'mariadb' });
  });

  it.each([
    ['', /empty/],
    ['oracle://scott@db/orcl', /unknown database URL scheme "oracle:"/],
    ['postgres://', /names no host|not a valid URL/],
    ['postgres://u@h:99999/db', /not a valid URL|not a port number/],
    ['postgres://u@h/db?sslmode=sometimes', /sslmode "sometimes"/],
    ['docker:redis:7', /cannot tell the engine/],
    ['just-a-word', /no scheme/],
  ])('rejects %j with a clear message', (text, message) => {
    expect(() => parseDatabaseUrl(text)).toThrow(SchemaguardError);
    expect(() => parseDatabaseUrl(text)).toThrow(message);
  });

  it('masks the password of a URL it cannot parse', () => {
    try {
      parseDatabaseUrl('postgres://u:topsecret@[bad/db');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('topsecret');
    }
  });
});
