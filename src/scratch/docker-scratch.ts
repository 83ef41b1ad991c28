import { SchemaguardError, messageOf } from '../core/errors.js';
import { Secret } from '../core/secret.js';
import type { DockerUrl, ServerUrl } from '../dialects/database-url.js';

/** What a docker: URL asks testcontainers to start. Pure, so it is unit-tested without Docker. */
export interface ContainerSpec {
  readonly image: string;
  readonly flavor: DockerUrl['flavor'];
  readonly database: string;
  readonly user: string;
  readonly port: number;
}

export function containerSpec(url: DockerUrl): ContainerSpec {
  return {
    image: url.image,
    flavor: url.flavor,
    database: 'schemaguard',
    user: url.flavor === 'postgres' ? 'postgres' : 'root',
    port: url.flavor === 'postgres' ? 5432 : 3306,
  };
}

export interface RunningContainer {
  /** A server URL for the container's admin user. */
  readonly url: ServerUrl;
  stop(): Promise<void>;
}

/** True when testcontainers finds a container runtime; the reason when it does not. */
export async function dockerAvailability(): Promise<{ available: true } | { available: false; reason: string }> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return { available: true };
  } catch (error) {
    return { available: false, reason: messageOf(error).split('\n')[0] ?? 'no container runtime' };
  }
}

export async function startContainer(url: DockerUrl): Promise<RunningContainer> {
  const availability = await dockerAvailability();
  if (!availability.available) {
    throw new SchemaguardError(`cannot start docker:${url.image}: no Docker engine is reachable (${availability.reason})`, {
      hint: 'start Docker, or use a server URL (--scratch postgres://… / mysql://…) or the embedded default (PGlite, SQLite)',
    });
  }
  const spec = containerSpec(url);
  const password = new Secret(`sg_${Math.random().toString(36).slice(2)}`);
  try {
    if (spec.flavor === 'postgres') {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer(spec.image)
        .withDatabase(spec.database)
        .withUsername(spec.user)
        .withPassword(password.reveal())
        .start();
      return {
        url: serverUrl('postgres', container.getHost(), container.getMappedPort(spec.port), spec, password),
        stop: async () => {
          await container.stop();
        },
      };
    }
    if (spec.flavor === 'mariadb') {
      const { MariaDbContainer } = await import('@testcontainers/mariadb');
      const container = await new MariaDbContainer(spec.image).withDatabase(spec.database).withRootPassword(password.reveal()).start();
      return {
        url: serverUrl('mariadb', container.getHost(), container.getMappedPort(spec.port), spec, password),
        stop: async () => {
          await container.stop();
        },
      };
    }
    const { MySqlContainer } = await import('@testcontainers/mysql');
    const container = await new MySqlContainer(spec.image).withDatabase(spec.database).withRootPassword(password.reveal()).start();
    return {
      url: serverUrl('mysql', container.getHost(), container.getMappedPort(spec.port), spec, password),
      stop: async () => {
        await container.stop();
      },
    };
  } catch (error) {
    throw new SchemaguardError(`starting container ${spec.image} failed: ${messageOf(error).split('\n')[0]}`, {
      hint: 'check that the image exists and Docker can pull it',
      cause: error,
    });
  }
}

function serverUrl(scheme: ServerUrl['scheme'], host: string, port: number, spec: ContainerSpec, password: Secret): ServerUrl {
  return {
    kind: 'server',
    engine: scheme === 'postgres' ? 'postgres' : 'mysql',
    scheme,
    host,
    port,
    socketPath: null,
    user: spec.user,
    password,
    database: spec.database,
    sslMode: null,
    params: {},
  };
}
