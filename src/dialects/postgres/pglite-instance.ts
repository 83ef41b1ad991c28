import type { PGlite } from '@electric-sql/pglite';
import type { Extension } from '@electric-sql/pglite';

/**
 * The contrib extensions PGlite ships. They are registered at start-up and installed only
 * when a migration runs CREATE EXTENSION, so offering all of them costs nothing.
 */
const CONTRIB_EXTENSIONS = [
  'amcheck',
  'bloom',
  'btree_gin',
  'btree_gist',
  'citext',
  'cube',
  'dict_int',
  'dict_xsyn',
  'earthdistance',
  'fuzzystrmatch',
  'hstore',
  'intarray',
  'isn',
  'lo',
  'ltree',
  'pg_trgm',
  'pgcrypto',
  'seg',
  'tablefunc',
  'tcn',
  'tsm_system_rows',
  'tsm_system_time',
  'unaccent',
  'uuid_ossp',
] as const;

async function loadContribExtensions(): Promise<Record<string, Extension>> {
  const loaded: Record<string, Extension> = {};
  await Promise.all(
    CONTRIB_EXTENSIONS.map(async (name) => {
      try {
        const module = (await import(`@electric-sql/pglite/contrib/${name}`)) as Record<string, Extension>;
        const extension = module[name];
        if (extension !== undefined) loaded[name] = extension;
      } catch {
        // An extension missing from this PGlite build is reported when a migration asks for it.
      }
    }),
  );
  return loaded;
}

/** Starts a PGlite instance, in memory or on a data directory, with every contrib extension available. */
export async function startPglite(dataDir: string | null): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const extensions = await loadContribExtensions();
  return dataDir === null ? PGlite.create({ extensions }) : PGlite.create(dataDir, { extensions });
}

/** Names of the extensions PGlite can create, for "PGlite lacks X" messages. */
export function pgliteExtensionNames(): readonly string[] {
  return ['plpgsql', ...CONTRIB_EXTENSIONS.map((name) => name.replace('uuid_ossp', 'uuid-ossp'))];
}
