import type { DataGuard } from '../../checks/migrations/migrate-check.js';
import { loadDataset, readDataset } from '../../datasets/index.js';
import type { Migration } from '../../migrations/migration.js';
import { captureData } from '../../snapshot/data-capture.js';

/** The directive a migration's up file uses to say it changes a table's rows on purpose. */
const TRANSFORMS_DIRECTIVE = '-- schemaguard:transforms';

/** Tables named by `-- schemaguard:transforms a, b` lines of the up script. */
function declaredInFile(migration: Migration): string[] {
  if (migration.up.kind !== 'sql') return [];
  const tables: string[] = [];
  for (const line of migration.up.text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith(TRANSFORMS_DIRECTIVE)) continue;
    tables.push(...trimmed.slice(TRANSFORMS_DIRECTIVE.length).split(/[\s,]+/).filter(Boolean));
  }
  return tables;
}

/** `--seed DATASET`: load it before the first checked migration; fingerprint every table's rows around each round trip. */
export async function dataGuardFor(seedPath: string, transforms: Record<string, readonly string[]>): Promise<DataGuard> {
  const dataset = await readDataset(seedPath);
  const wanted = dataset.tables.map((t) => t.name);
  return {
    describe: seedPath,
    readyIn: (schema) =>
      wanted.every((name) => schema.tables.some((t) => t.name === name || `${t.schema}.${t.name}` === name)),
    seed: async (connection) => {
      await loadDataset(connection, dataset);
    },
    fingerprint: async (connection) => {
      const tables = await captureData(connection, { tables: [], rowsLimit: 0 });
      return new Map(tables.map((t) => [`${t.schema}.${t.table}`, { rows: t.rowCount, fingerprint: t.fingerprint }]));
    },
    transformedBy: (migration) => [...(transforms[migration.version.text] ?? []), ...declaredInFile(migration)],
  };
}
