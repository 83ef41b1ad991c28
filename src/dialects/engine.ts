/** The three engine families schemaguard speaks. PGlite is `postgres`; MariaDB is `mysql`. */
export const ENGINES = ['postgres', 'mysql', 'sqlite'] as const;
export type Engine = (typeof ENGINES)[number];

/** The product behind a connection, as detected from the server itself. */
export type ServerProduct = 'PostgreSQL' | 'PGlite' | 'MySQL' | 'MariaDB' | 'SQLite';

export interface ServerInfo {
  readonly engine: Engine;
  readonly product: ServerProduct;
  /** Version as the server reports it, e.g. `15.19`, `10.11.9`, `3.46.1`. */
  readonly version: string;
}

export function isEngine(value: string): value is Engine {
  return (ENGINES as readonly string[]).includes(value);
}

/** Accepts the names users type (`pg`, `postgresql`, `mariadb`, `sqlite3`…). */
export function parseEngineName(value: string): Engine | undefined {
  const aliases: Record<string, Engine> = {
    postgres: 'postgres',
    postgresql: 'postgres',
    pg: 'postgres',
    pglite: 'postgres',
    mysql: 'mysql',
    mariadb: 'mysql',
    sqlite: 'sqlite',
    sqlite3: 'sqlite',
  };
  return aliases[value.toLowerCase()];
}
