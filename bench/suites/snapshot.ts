import { createScratchDatabase, type ScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import { parseDatabaseUrl, type ServerUrl } from '../../src/dialects/database-url.js';
import type { Engine } from '../../src/dialects/engine.js';
import { BENCH_SHAPE, generateSchema } from '../generate-schema.js';
import { BIN, MYSQL_URL, PG_URL, fmt, libpqUrl, machineLine, medianMs, mysqlArgs, run, urlText } from '../support.js';

/**
 * Issue #2: `schemaguard snapshot` of a 1,000-table schema against each engine's own schema
 * dump tool, measured in the same run. Targets: ≤ 0.5× pg_dump, ≤ 0.2× mysqldump.
 */
interface Row {
  engine: string;
  cli: number;
  capture: number;
  reference: string;
  referenceMs: number | null;
  target: number | null;
}

async function measure(label: string, engine: Engine, target: ScratchTarget, runs: number, reference: ((s: ScratchDatabase) => void) | null, referenceName: string, targetRatio: number | null): Promise<Row> {
  const scratch = await createScratchDatabase(target, { statementTimeoutMs: 600_000 });
  try {
    process.stderr.write(`  ${label}: creating ${BENCH_SHAPE.tables} tables…\n`);
    await scratch.connection.executeScript(generateSchema(engine, BENCH_SHAPE));
    const capture = await medianMs(runs, () => scratch.connection.captureSchema({ schemas: [] }));
    const cli = target.kind === 'pglite' ? Number.NaN : await medianMs(runs, () => run(process.execPath, [BIN, '--quiet', 'snapshot', urlText(scratch.url), '-o', '/dev/null']));
    const referenceMs = reference === null ? null : await medianMs(runs, () => reference(scratch));
    return { engine: label, cli, capture, reference: referenceName, referenceMs, target: targetRatio };
  } finally {
    await scratch.dispose();
  }
}

export async function snapshotSuite(runs: number): Promise<string> {
  const rows: Row[] = [];
  const pg = parseDatabaseUrl(PG_URL) as ServerUrl;
  const my = parseDatabaseUrl(MYSQL_URL) as ServerUrl;
  rows.push(
    await measure('PostgreSQL 15 (server)', 'postgres', { kind: 'server', url: pg }, runs, (s) => run('pg_dump', ['--schema-only', '-d', libpqUrl(s.url)]), 'pg_dump --schema-only', 0.5),
  );
  rows.push(
    await measure('MariaDB 10.11 (server)', 'mysql', { kind: 'server', url: my }, runs, (s) =>
      run('mysqldump', [...mysqlArgs(s.url), '--no-data', '--routines', '--triggers', s.url.kind === 'server' ? s.url.database! : '']), 'mysqldump --no-data --routines --triggers', 0.2),
  );
  rows.push(
    await measure('SQLite', 'sqlite', { kind: 'sqlite' }, runs, (s) => run('sqlite3', [s.url.kind === 'sqlite' ? s.url.path : '', '.schema']), 'sqlite3 .schema', null),
  );
  rows.push(await measure('PGlite (in process)', 'postgres', { kind: 'pglite' }, runs, null, '—', null));

  const lines = [
    `${BENCH_SHAPE.tables} tables × 16 columns (primary key, foreign key, unique, check, 2 indexes each), ${BENCH_SHAPE.views} views, ${BENCH_SHAPE.triggers} triggers, ${BENCH_SHAPE.routines} routines (no routines on SQLite). Median of ${runs} runs; ${machineLine()}.`,
    '',
    '| engine | `schemaguard snapshot` (CLI, wall) | catalog capture (in process) | reference tool | reference | ratio (CLI ÷ reference) | target |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const ratio = row.referenceMs === null || Number.isNaN(row.cli) ? '—' : (row.cli / row.referenceMs).toFixed(2);
    const verdict = row.target === null ? '—' : `≤ ${row.target} ${Number(ratio) <= row.target ? '✓' : '✗'}`;
    lines.push(
      `| ${row.engine} | ${Number.isNaN(row.cli) ? '—' : fmt(row.cli)} | ${fmt(row.capture)} | ${row.reference} | ${row.referenceMs === null ? '—' : fmt(row.referenceMs)} | ${ratio} | ${verdict} |`,
    );
  }
  lines.push('', 'The CLI time includes starting Node (about 0.3 s); the in-process figure is the catalog capture alone, a fixed number of queries whatever the number of tables.');
  return lines.join('\n');
}
