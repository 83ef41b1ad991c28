import { spawnSync } from 'node:child_process';
import { parseDatabaseUrl, type ServerUrl } from '../../src/dialects/database-url.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import { captureSnapshotWithData } from '../../src/snapshot/data-capture.js';
import { BIN, MYSQL_URL, PG_URL, fmt, libpqUrl, machineLine, medianMs, mysqlArgs, run, urlText } from '../support.js';

/**
 * Data snapshots: `schemaguard snapshot URL --data t` on a table of 1,000,000 rows (id,
 * integer, text, numeric, timestamp with zone, boolean, double: about 80 bytes a row) against
 * each engine's own fastest full read of the table, in the same run; and the peak RSS of the
 * CLI process at 1M and 10M rows (/usr/bin/time %M). Targets: ≤ 1.5× psql's \copy to
 * /dev/null on PostgreSQL; memory flat (< 200 MB) whatever the table size.
 */

const SCHEMA_SQL = {
  postgres: `CREATE TABLE t (id bigint PRIMARY KEY, n integer, name text, amount numeric(12,2), created timestamptz, flag boolean, ratio double precision)`,
  mysql: `CREATE TABLE t (id bigint PRIMARY KEY, n int, name text, amount decimal(12,2), created timestamp(6) NULL, flag boolean, ratio double)`,
  sqlite: `CREATE TABLE t (id integer PRIMARY KEY, n integer, name text, amount numeric, created text, flag integer, ratio real)`,
};

function fillSql(engine: keyof typeof SCHEMA_SQL, from: number, to: number): string {
  switch (engine) {
    case 'postgres':
      return `INSERT INTO t SELECT i, i * 7, 'name number ' || i || ' with some text', (i % 100000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + i * interval '1.5 second', i % 2 = 0, i / 3.0 FROM generate_series(${from}, ${to}) i`;
    case 'mysql':
      return `INSERT INTO t SELECT seq, seq * 7, CONCAT('name number ', seq, ' with some text'), (seq % 100000) / 100.0, TIMESTAMP('2024-01-01 00:00:00') + INTERVAL seq SECOND, seq % 2 = 0, seq / 3.0 FROM seq_${from}_to_${to}`;
    case 'sqlite':
      return `WITH RECURSIVE s(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM s WHERE i < ${to}) INSERT INTO t SELECT i, i * 7, 'name number ' || i || ' with some text', (i % 100000) / 100.0, strftime('%Y-%m-%dT%H:%M:%f', 1704067200 + i * 1.5, 'unixepoch'), i % 2 = 0, i / 3.0 FROM s`;
  }
}

async function fill(scratch: ScratchDatabase, engine: keyof typeof SCHEMA_SQL, from: number, to: number): Promise<void> {
  // In slices of a million rows: MariaDB's sequence tables and one transaction stay small.
  for (let start = from; start <= to; start += 1_000_000) {
    await scratch.connection.executeScript(fillSql(engine, start, Math.min(to, start + 999_999)));
  }
  if (engine === 'postgres') await scratch.connection.executeScript('VACUUM ANALYZE t');
}

/** Wall time and peak RSS of one CLI run. */
function cliRun(url: string): { ms: number; rssMb: number } {
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BIN, '--quiet', 'snapshot', url, '--data', '*.t', '--timeout', '0', '-o', '/dev/null'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`schemaguard snapshot --data failed: ${result.stderr}`);
  const kb = Number(result.stderr.trim().split('\n').at(-1));
  return { ms, rssMb: kb / 1024 };
}

interface EngineRow {
  engine: string;
  reference: string;
  referenceMs: number;
  cliMs: number;
  inProcessMs: number;
  rss1M: number;
  rss10M: number | null;
  target: number | null;
}

async function measure(
  label: string,
  engine: keyof typeof SCHEMA_SQL,
  target: ScratchTarget,
  runs: number,
  referenceName: string,
  reference: (s: ScratchDatabase) => void,
  targetRatio: number | null,
  tenMillion: boolean,
): Promise<EngineRow> {
  const scratch = await createScratchDatabase(target, { statementTimeoutMs: 0 });
  try {
    process.stderr.write(`  ${label}: loading 1,000,000 rows…\n`);
    await scratch.connection.executeScript(SCHEMA_SQL[engine]);
    await fill(scratch, engine, 1, 1_000_000);
    const url = urlText(scratch.url);
    const check = await captureSnapshotWithData(scratch.connection, { tables: ['*.t'], rowsLimit: 1000 });
    if (check.data?.[0]?.rowCount !== 1_000_000) throw new Error(`${label}: the capture did not read the 1,000,000 rows of t`);
    // Alternate the two so that neither gets a warmer cache.
    const cli: number[] = [];
    const ref: number[] = [];
    let rss1M = 0;
    for (let i = 0; i < runs; i += 1) {
      const one = cliRun(url);
      cli.push(one.ms);
      rss1M = Math.max(rss1M, one.rssMb);
      ref.push(await medianMs(1, () => reference(scratch)));
    }
    const inProcessMs = await medianMs(Math.min(runs, 3), () => captureSnapshotWithData(scratch.connection, { tables: ['*.t'], rowsLimit: 1000 }));
    let rss10M: number | null = null;
    if (tenMillion) {
      process.stderr.write(`  ${label}: loading 9,000,000 more rows…\n`);
      await fill(scratch, engine, 1_000_001, 10_000_000);
      rss10M = cliRun(url).rssMb;
    }
    return { engine: label, reference: referenceName, referenceMs: median(ref), cliMs: median(cli), inProcessMs, rss1M, rss10M, target: targetRatio };
  } finally {
    await scratch.dispose();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measurePglite(runs: number): Promise<number> {
  const scratch = await createScratchDatabase({ kind: 'pglite' }, { statementTimeoutMs: 0 });
  try {
    process.stderr.write('  PGlite: loading 1,000,000 rows…\n');
    await scratch.connection.executeScript(SCHEMA_SQL.postgres);
    await scratch.connection.executeScript(fillSql('postgres', 1, 1_000_000));
    return await medianMs(Math.min(runs, 3), () => captureSnapshotWithData(scratch.connection, { tables: ['*.t'], rowsLimit: 1000 }));
  } finally {
    await scratch.dispose();
  }
}

export async function dataSuite(runs: number): Promise<string> {
  const pg = parseDatabaseUrl(PG_URL) as ServerUrl;
  const my = parseDatabaseUrl(MYSQL_URL) as ServerUrl;
  const rows: EngineRow[] = [];
  rows.push(
    await measure('PostgreSQL 15 (server)', 'postgres', { kind: 'server', url: pg }, runs, 'psql -c "\\copy (select * from t) to /dev/null"', (s) => {
      run('psql', ['-X', '-q', '-d', libpqUrl(s.url), '-c', '\\copy (select * from t) to /dev/null']);
    }, 1.5, true),
  );
  rows.push(
    await measure('MariaDB 10.11 (server)', 'mysql', { kind: 'server', url: my }, runs, 'mysqldump DB t > /dev/null', (s) => {
      const database = s.url.kind === 'server' ? s.url.database! : '';
      const result = spawnSync('mysqldump', [...mysqlArgs(s.url), '--protocol=TCP', database, 't', '--result-file=/dev/null'], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`mysqldump failed: ${result.stderr}`);
    }, null, true),
  );
  rows.push(
    await measure('SQLite', 'sqlite', { kind: 'sqlite' }, runs, "sqlite3 DB '.sha3sum t'", (s) => {
      run('sqlite3', [s.url.kind === 'sqlite' ? s.url.path : '', '.sha3sum t']);
    }, null, true),
  );
  const pgliteMs = await measurePglite(runs);

  const lines = [
    `One table of 1,000,000 rows (bigint key, integer, text, numeric, timestamp with zone, boolean, double; ~80 bytes a row). \`schemaguard snapshot URL --data t -o /dev/null\` as a CLI process (Node start-up, schema capture, fingerprint; the table has more than --rows-limit rows, so none are stored) against the engine's own full read of the table, alternated, median of ${runs} runs; ${machineLine()}.`,
    '',
    '| engine | reference | reference time | `snapshot --data` (CLI, wall) | ratio | target | in process | peak RSS at 1M rows | peak RSS at 10M rows |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const ratio = row.cliMs / row.referenceMs;
    const verdict = row.target === null ? '—' : `≤ ${row.target} ${ratio <= row.target ? '✓' : '✗'}`;
    lines.push(
      `| ${row.engine} | ${row.reference} | ${fmt(row.referenceMs)} | ${fmt(row.cliMs)} | ${ratio.toFixed(2)} | ${verdict} | ${fmt(row.inProcessMs)} | ${row.rss1M.toFixed(0)} MB | ${row.rss10M === null ? '—' : `${row.rss10M.toFixed(0)} MB`} |`,
    );
  }
  lines.push(`| PGlite (in process) | — | — | — | — | — | ${fmt(pgliteMs)} | — | — |`);
  lines.push(
    '',
    'Memory target: < 200 MB peak RSS at both sizes (flat: rows stream through one chunk at a time). "In process" is the capture alone (schema + fingerprint) without Node start-up.',
  );
  return lines.join('\n');
}
