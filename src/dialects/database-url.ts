import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { SchemaguardError } from '../core/errors.js';
import { Secret } from '../core/secret.js';
import type { Engine } from './engine.js';

/**
 * Every way schemaguard can be pointed at a database, parsed once at the edge.
 * The rest of the code never looks at URL text again.
 */
export type DatabaseUrl = ServerUrl | SqliteUrl | PgliteUrl | DockerUrl;

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface ServerUrl {
  readonly kind: 'server';
  readonly engine: 'postgres' | 'mysql';
  /** The scheme the user wrote; `mariadb` only tells us what to expect. */
  readonly scheme: 'postgres' | 'postgresql' | 'mysql' | 'mariadb';
  readonly host: string;
  readonly port: number;
  /** Unix socket path (`?host=/run/postgresql`, `?socket=/run/mysqld/mysqld.sock`). */
  readonly socketPath: string | null;
  readonly user: string;
  readonly password: Secret | null;
  /** `null` when the URL names no database (allowed for `scratch` work on a server). */
  readonly database: string | null;
  readonly sslMode: SslMode | null;
  /** Other query parameters, passed through untouched. */
  readonly params: Readonly<Record<string, string>>;
}

export interface SqliteUrl {
  readonly kind: 'sqlite';
  readonly engine: 'sqlite';
  /** Absolute path, or `:memory:`. */
  readonly path: string;
}

export interface PgliteUrl {
  readonly kind: 'pglite';
  readonly engine: 'postgres';
  /** Data directory, or `null` for an in-memory database. */
  readonly dataDir: string | null;
}

export interface DockerUrl {
  readonly kind: 'docker';
  readonly engine: 'postgres' | 'mysql';
  /** Image reference, e.g. `postgres:16`, `mariadb:11`. */
  readonly image: string;
  readonly flavor: 'postgres' | 'mysql' | 'mariadb';
}

const SQLITE_FILE_SUFFIXES = ['.sqlite', '.sqlite3', '.db'];
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];
const DOCKER_DEFAULT_TAGS: Record<DockerUrl['flavor'], string> = {
  postgres: '16',
  mysql: '8.4',
  mariadb: '11',
};

export interface UrlEnvironment {
  readonly [name: string]: string | undefined;
}

/** True when `text` looks like something `parseDatabaseUrl` accepts (rather than a file). */
export function looksLikeDatabaseUrl(text: string): boolean {
  return /^(postgres|postgresql|mysql|mariadb|sqlite|pglite|docker):/i.test(text) || isBareSqlitePath(text);
}

function isBareSqlitePath(text: string): boolean {
  const lower = text.toLowerCase();
  return SQLITE_FILE_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/**
 * Parses a database URL. Throws a SchemaguardError naming what is wrong (never echoing
 * the password) for anything it cannot use.
 */
export function parseDatabaseUrl(text: string, env: UrlEnvironment = process.env): DatabaseUrl {
  const trimmed = text.trim();
  if (trimmed === '') throw badUrl(text, 'the URL is empty');
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed);
  const scheme = schemeMatch?.[1]?.toLowerCase();
  // A Windows drive letter or a bare path is not a scheme.
  if (scheme === undefined || (scheme.length === 1 && /^[a-zA-Z]:[\\/]/.test(trimmed))) {
    if (isBareSqlitePath(trimmed)) return { kind: 'sqlite', engine: 'sqlite', path: resolve(trimmed) };
    throw badUrl(text, 'it has no scheme');
  }
  const rest = trimmed.slice(scheme.length + 1);
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
    case 'mysql':
    case 'mariadb':
      return parseServerUrl(trimmed, scheme, env);
    case 'sqlite':
      return parseSqliteUrl(text, rest);
    case 'pglite':
      return parsePgliteUrl(rest);
    case 'docker':
      return parseDockerUrl(text, rest);
    default:
      throw new SchemaguardError(`unknown database URL scheme "${scheme}:" in ${describeUnparsed(text)}`, {
        hint: 'use postgres://, mysql://, mariadb://, sqlite:PATH, pglite:[DIR] or docker:IMAGE',
      });
  }
}

function parseSqliteUrl(original: string, rest: string): SqliteUrl {
  // sqlite:PATH, sqlite://PATH, sqlite:///abs/path, sqlite::memory:
  let path = rest.startsWith('//') ? rest.slice(2) : rest;
  if (path === ':memory:' || path === '') {
    if (path === '') throw badUrl(original, 'sqlite: needs a file path, e.g. sqlite:app.db or sqlite::memory:');
    return { kind: 'sqlite', engine: 'sqlite', path: ':memory:' };
  }
  path = safeDecode(path.replace(/\?.*$/, ''));
  return { kind: 'sqlite', engine: 'sqlite', path: resolve(path) };
}

function parsePgliteUrl(rest: string): PgliteUrl {
  const dir = rest.startsWith('//') ? rest.slice(2) : rest;
  if (dir === '' || dir === ':memory:' || dir === 'memory:' || dir === 'memory://') {
    return { kind: 'pglite', engine: 'postgres', dataDir: null };
  }
  return { kind: 'pglite', engine: 'postgres', dataDir: resolve(safeDecode(dir)) };
}

function parseDockerUrl(original: string, rest: string): DockerUrl {
  const image = rest.startsWith('//') ? rest.slice(2) : rest;
  if (image === '') throw badUrl(original, 'docker: needs an image, e.g. docker:postgres:16');
  const name = image.split(':')[0] ?? '';
  const base = name.split('/').pop() ?? '';
  let flavor: DockerUrl['flavor'];
  if (/postgres|postgis|timescale/i.test(base)) flavor = 'postgres';
  else if (/mariadb/i.test(base)) flavor = 'mariadb';
  else if (/mysql|percona/i.test(base)) flavor = 'mysql';
  else {
    throw badUrl(original, `cannot tell the engine of image "${image}"`, 'use docker:postgres:16, docker:mysql:8 or docker:mariadb:11');
  }
  const withTag = image.includes(':') ? image : `${image}:${DOCKER_DEFAULT_TAGS[flavor]}`;
  return { kind: 'docker', engine: flavor === 'postgres' ? 'postgres' : 'mysql', image: withTag, flavor };
}

function parseServerUrl(text: string, scheme: ServerUrl['scheme'], env: UrlEnvironment): ServerUrl {
  let parsed: URL;
  try {
    // `postgres://me@/app?host=/run/postgresql` and `postgres:///app`: no host, a socket instead.
    parsed = new URL(text.replace(/^([a-z]+:\/\/(?:[^/@]*@)?)\//i, '$1localhost/'));
  } catch {
    throw badUrl(text, 'it is not a valid URL', `expected ${scheme}://USER[:PASSWORD]@HOST[:PORT]/DATABASE`);
  }
  const engine = scheme === 'postgres' || scheme === 'postgresql' ? 'postgres' : 'mysql';
  const params: Record<string, string> = {};
  for (const [key, value] of parsed.searchParams) params[key] = value;

  const socketPath = takeParam(params, engine === 'postgres' ? ['host'] : ['socket', 'socketPath']);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '' && socketPath === null) {
    throw badUrl(text, 'it names no host', `expected ${scheme}://USER@HOST[:PORT]/DATABASE`);
  }
  const defaultPort = engine === 'postgres' ? 5432 : 3306;
  const port = parsed.port === '' ? defaultPort : Number(parsed.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw badUrl(text, `port "${parsed.port}" is not a port number`);

  const passwordText = parsed.password !== '' ? safeDecode(parsed.password) : passwordFromEnv(engine, env);
  const user =
    parsed.username !== ''
      ? safeDecode(parsed.username)
      : (engine === 'postgres' ? env.PGUSER : env.MYSQL_USER) ?? currentOsUser();
  const path = safeDecode(parsed.pathname.replace(/^\//, ''));
  if (path.includes('/')) throw badUrl(text, `"${path}" is not a database name`);
  const database = path !== '' ? path : engine === 'postgres' ? env.PGDATABASE ?? null : null;

  const sslText = takeParam(params, ['sslmode', 'ssl-mode', 'ssl_mode']);
  const sslMode = sslText === null ? null : parseSslMode(text, sslText);
  return {
    kind: 'server',
    engine,
    scheme,
    host: host === '' ? 'localhost' : host,
    port,
    socketPath,
    user,
    password: passwordText === undefined ? null : new Secret(passwordText),
    database,
    sslMode,
    params,
  };
}

function passwordFromEnv(engine: 'postgres' | 'mysql', env: UrlEnvironment): string | undefined {
  return engine === 'postgres' ? env.PGPASSWORD : env.MYSQL_PWD;
}

function parseSslMode(url: string, text: string): SslMode {
  const normalised = text.toLowerCase().replace(/_/g, '-');
  const mysqlAliases: Record<string, SslMode> = { disabled: 'disable', preferred: 'prefer', required: 'require', 'verify-identity': 'verify-full', true: 'require', false: 'disable' };
  const mode = (SSL_MODES as readonly string[]).includes(normalised) ? (normalised as SslMode) : mysqlAliases[normalised];
  if (mode === undefined) throw badUrl(url, `sslmode "${text}" is not one of ${SSL_MODES.join(', ')}`);
  return mode;
}

function takeParam(params: Record<string, string>, names: readonly string[]): string | null {
  for (const name of names) {
    const value = params[name];
    if (value !== undefined) {
      delete params[name];
      return value;
    }
  }
  return null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function currentOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

function badUrl(text: string, why: string, hint?: string): SchemaguardError {
  return new SchemaguardError(`invalid database URL ${describeUnparsed(text)}: ${why}`, {
    hint: hint ?? 'examples: postgres://user@localhost:5432/app, mysql://root@127.0.0.1/app, sqlite:app.db, pglite:',
  });
}

/** Quotes a URL we could not parse, with anything that looks like a password masked. */
function describeUnparsed(text: string): string {
  return JSON.stringify(text.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@'));
}

/** The URL as it may be printed: the password is always `***`. */
export function describeDatabaseUrl(url: DatabaseUrl): string {
  switch (url.kind) {
    case 'server': {
      const auth = `${encodeURIComponent(url.user)}${url.password === null ? '' : ':***'}@`;
      const location = url.socketPath !== null && url.host === 'localhost' ? '' : `${url.host.includes(':') ? `[${url.host}]` : url.host}:${url.port}`;
      const database = url.database === null ? '' : `/${encodeURIComponent(url.database)}`;
      return `${url.scheme}://${auth}${location}${database}`;
    }
    case 'sqlite':
      return `sqlite:${url.path}`;
    case 'pglite':
      return url.dataDir === null ? 'pglite: (in memory)' : `pglite:${url.dataDir}`;
    case 'docker':
      return `docker:${url.image}`;
  }
}

/** The engine a URL will speak. */
export function engineOfUrl(url: DatabaseUrl): Engine {
  return url.engine;
}

/** A copy of a server URL pointing at another database on the same server. */
export function withDatabase(url: ServerUrl, database: string | null): ServerUrl {
  return { ...url, database };
}
