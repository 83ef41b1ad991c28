import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { mysqlServer } from '../support/servers.js';

/**
 * The projects under migrations-examples/ run as their READMEs say: `schemaguard migrate check
 * --ci` from inside each folder, reading its schemaguard.yaml and committed baseline. The good
 * ones pass on every engine; each broken copy fails with the message its README quotes.
 *
 * PGlite starts in seconds per run, so every project runs once (concurrently), and each run
 * is asserted through both what it prints and its JSON report.
 */

const my = await mysqlServer();
const EXAMPLES = fileURLToPath(new URL('../../migrations-examples', import.meta.url));
const reports = mkdtempSync(join(tmpdir(), 'schemaguard-examples-'));
/** One migrate check; generous, because concurrent PGlite runs on a busy machine take minutes. */
const RUN_TIMEOUT = 600_000;

type Engine = 'postgres' | 'mysql' | 'sqlite';

interface Example {
  readonly engine: Engine;
  /** Under migrations-examples/. */
  readonly folder: string;
  readonly args?: readonly string[];
  /** Every check that fails (neither passed nor skipped), as [name, message], in order. */
  readonly failures: readonly (readonly [string, string])[];
}

interface ReportCase {
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'error' | 'skipped';
  readonly message: string | null;
  readonly severity: 'error' | 'warning' | 'notice';
}

const GOOD: Example[] = [
  { engine: 'postgres', folder: 'postgres/shop', failures: [] },
  { engine: 'mysql', folder: 'mysql/shop', failures: [] },
  { engine: 'sqlite', folder: 'sqlite/shop', failures: [] },
  { engine: 'postgres', folder: 'kysely/postgres', failures: [] },
  // The seed command of the READMEs: the right down (a rename back) keeps every row. Not on
  // PGlite: broken-down-drops-data already loads the same seed there, and a run costs seconds.
  { engine: 'mysql', folder: 'mysql/shop', args: ['--from', '00008', '--seed', 'seed.yaml'], failures: [] },
  { engine: 'sqlite', folder: 'sqlite/shop', args: ['--from', '20240108090000', '--seed', 'seed.yaml'], failures: [] },
];

const BROKEN: Example[] = [
  // A down that forgets an index: the schema is not restored, and the second up trips over the index.
  {
    engine: 'postgres',
    folder: 'postgres/broken-down-forgets-index',
    failures: [
      ['0007 orders_reporting_indexes: down restores the schema', 'down does not restore the schema before up: public.orders.orders_created_at_idx: index added'],
      ['0007 orders_reporting_indexes: up again after down', 'up cannot be applied again after down: migrations/0007_orders_reporting_indexes.up.sql:8: relation "orders_created_at_idx" already exists'],
    ],
  },
  {
    engine: 'mysql',
    folder: 'mysql/broken-down-forgets-index',
    failures: [
      ['00007 orders_reporting_indexes: down restores the schema', 'down does not restore the schema before up: orders.orders_created_at_idx: index added'],
      ['00007 orders_reporting_indexes: up again after down', "up cannot be applied again after down: migrations/00007_orders_reporting_indexes.sql:5: Duplicate key name 'orders_created_at_idx'"],
    ],
  },
  {
    engine: 'sqlite',
    folder: 'sqlite/broken-down-forgets-index',
    failures: [
      ['20240107090000 orders_reporting_indexes: down restores the schema', 'down does not restore the schema before up: orders.orders_created_at_idx: index added'],
      ['20240107090000 orders_reporting_indexes: up again after down', 'up cannot be applied again after down: migrations/20240107090000_orders_reporting_indexes.sql:4: index orders_created_at_idx already exists'],
    ],
  },
  // A down that drops a column's values: only the seed's rows show it (schemaguard.yaml: seed, from).
  {
    engine: 'postgres',
    folder: 'postgres/broken-down-drops-data',
    failures: [['0008 orders_delivery_note: data survives up, down and up', 'rows lost or changed: public.orders: the same 3 rows after down, but their content changed (and 1 more)']],
  },
  {
    engine: 'mysql',
    folder: 'mysql/broken-down-drops-data',
    failures: [['00008 orders_delivery_note: data survives up, down and up', 'rows lost or changed: main.orders: the same 3 rows after down, but their content changed (and 1 more)']],
  },
  {
    engine: 'sqlite',
    folder: 'sqlite/broken-down-drops-data',
    failures: [['20240108090000 orders_delivery_note: data survives up, down and up', 'rows lost or changed: main.orders: the same 3 rows after down, but their content changed (and 1 more)']],
  },
  // A down that leaves something behind, so the up cannot run a second time.
  {
    engine: 'postgres',
    folder: 'postgres/broken-up-not-rerunnable',
    failures: [
      ['0003 create_orders: down restores the schema', 'down does not restore the schema before up: public.order_status: enum added'],
      ['0003 create_orders: up again after down', 'up cannot be applied again after down: migrations/0003_create_orders.up.sql:2: type "order_status" already exists'],
    ],
  },
  {
    engine: 'mysql',
    folder: 'mysql/broken-up-not-rerunnable',
    failures: [
      ['00005 orders_total_cents: down restores the schema', 'down does not restore the schema before up: order_total_cents(bigint(20) unsigned): function added'],
      ['00005 orders_total_cents: up again after down', 'up cannot be applied again after down: migrations/00005_orders_total_cents.sql:7: FUNCTION order_total_cents already exists'],
    ],
  },
  {
    engine: 'sqlite',
    folder: 'sqlite/broken-up-not-rerunnable',
    failures: [
      ['20240103090000 create_orders: down restores the schema', 'down does not restore the schema before up: order_items: table added'],
      ['20240103090000 create_orders: up again after down', 'up cannot be applied again after down: migrations/20240103090000_create_orders.sql:12: table order_items already exists'],
    ],
  },
  // A committed baseline that lacks the last migration's change.
  {
    engine: 'postgres',
    folder: 'postgres/broken-baseline-out-of-date',
    failures: [
      ['schema matches the baseline schemaguard/schema.json', 'the migrations leave a schema that differs from schemaguard/schema.json: public.orders.delivery_note: column renamed from public.orders.note — if intended, run with -u and commit'],
    ],
  },
  {
    engine: 'mysql',
    folder: 'mysql/broken-baseline-out-of-date',
    failures: [
      ['schema matches the baseline schemaguard/schema.json', 'the migrations leave a schema that differs from schemaguard/schema.json: orders.delivery_note: column renamed from orders.note — if intended, run with -u and commit'],
    ],
  },
  {
    engine: 'sqlite',
    folder: 'sqlite/broken-baseline-out-of-date',
    failures: [
      ['schema matches the baseline schemaguard/schema.json', 'the migrations leave a schema that differs from schemaguard/schema.json: orders.delivery_note: column renamed from orders.note — if intended, run with -u and commit'],
    ],
  },
];

const skipped = (example: Example) => example.engine === 'mysql' && !my.available;
const title = (example: Example) => `${example.folder}${example.args === undefined ? '' : ` ${example.args.join(' ')}`}`;

let runs = 0;
async function migrateCheck(example: Example) {
  const reportFile = join(reports, `report-${(runs += 1)}.json`);
  // MySQL: the test server (SCHEMAGUARD_TEST_MYSQL_URL) instead of the scratch: of schemaguard.yaml.
  const scratch = example.engine === 'mysql' ? ['--scratch', my.text] : [];
  const result = await runCli(['migrate', 'check', '--ci', ...scratch, ...(example.args ?? []), '--reporter', 'pretty', '--reporter', `json:${reportFile}`], {
    cwd: join(EXAMPLES, example.folder),
  });
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { suites: { cases: ReportCase[] }[] };
  const cases = report.suites.flatMap((suite) => suite.cases);
  return { result, cases };
}

function expectRun(example: Example, { result, cases }: Awaited<ReturnType<typeof migrateCheck>>) {
  // Lint warnings and infos are reported without failing the run.
  const failures = cases.filter((c) => (c.status === 'failed' || c.status === 'error') && c.severity === 'error').map((c) => [c.name, c.message]);
  expect(failures, result.stdout + result.stderr).toEqual(example.failures);
  expect(result.code, result.stderr).toBe(example.failures.length === 0 ? 0 : 1);
  expect(result.stderr).toBe('');
  // What a person sees: each failing check and its message, then the summary.
  for (const [name, message] of example.failures) {
    expect(result.stdout).toContain(`✗ ${name} `);
    expect(result.stdout).toContain(`      ${message}\n`);
  }
  const failed = example.failures.length;
  expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^\\d+ passed${failed === 0 ? '' : `, ${failed} failed`}(, \\d+ warnings?)?(, \\d+ info)?(, \\d+ skipped)? in `));
}

describe.concurrent('the good migration examples pass', () => {
  for (const example of GOOD) {
    it.skipIf(skipped(example))(title(example), { timeout: RUN_TIMEOUT }, async () => {
      expectRun(example, await migrateCheck(example));
    });
  }

  it('sqlite/shop/schema.sql is the schema its migrations build (the committed baseline)', async () => {
    const result = await runCli(['diff', 'schema.sql', 'schemaguard/schema.json', '--dialect', 'sqlite'], { cwd: join(EXAMPLES, 'sqlite/shop') });
    expect(result.stdout + result.stderr).toContain('no differences');
    expect(result.code).toBe(0);
  });
});

describe.concurrent('each broken migration example fails with its message', () => {
  for (const example of BROKEN) {
    it.skipIf(skipped(example))(title(example), { timeout: RUN_TIMEOUT }, async () => {
      expectRun(example, await migrateCheck(example));
    });
  }

  it.each(BROKEN.map((example) => [example.folder, example] as const))('%s/README.md quotes the messages', (_, example) => {
    const readme = readFileSync(join(EXAMPLES, example.folder, 'README.md'), 'utf8');
    for (const [, message] of example.failures) expect(readme).toContain(message);
  });
});

/** Files under a folder, relative to it, with their contents. */
function files(folder: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else found.set(relative(folder, path), readFileSync(path, 'utf8'));
    }
  };
  walk(folder);
  return found;
}

describe('each broken example is a copy of its shop that differs in one place', () => {
  const CHANGED: Record<string, string> = {
    'postgres/broken-down-forgets-index': 'migrations/0007_orders_reporting_indexes.down.sql',
    'postgres/broken-down-drops-data': 'migrations/0008_orders_delivery_note.down.sql',
    'postgres/broken-up-not-rerunnable': 'migrations/0003_create_orders.down.sql',
    'postgres/broken-baseline-out-of-date': 'schemaguard/schema.json',
    'mysql/broken-down-forgets-index': 'migrations/00007_orders_reporting_indexes.sql',
    'mysql/broken-down-drops-data': 'migrations/00008_orders_delivery_note.sql',
    'mysql/broken-up-not-rerunnable': 'migrations/00005_orders_total_cents.sql',
    'mysql/broken-baseline-out-of-date': 'schemaguard/schema.json',
    'sqlite/broken-down-forgets-index': 'migrations/20240107090000_orders_reporting_indexes.sql',
    'sqlite/broken-down-drops-data': 'migrations/20240108090000_orders_delivery_note.sql',
    'sqlite/broken-up-not-rerunnable': 'migrations/20240103090000_create_orders.sql',
    'sqlite/broken-baseline-out-of-date': 'schemaguard/schema.json',
  };

  it.each(Object.entries(CHANGED))('%s changes only %s (besides its README and config)', (folder, changed) => {
    const shop = files(join(EXAMPLES, folder.split('/')[0]!, 'shop'));
    const copy = files(join(EXAMPLES, folder));
    expect([...copy.keys()].sort()).toEqual([...shop.keys()].sort());
    const different = [...copy].filter(([path, text]) => shop.get(path) !== text).map(([path]) => path);
    expect(different.filter((path) => path !== 'README.md' && path !== 'schemaguard.yaml')).toEqual([changed]);
  });
});
