import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../src/scratch/scratch-database.js';
import { outcomeText, readExpectations, runCase, writeExpectations, type CaseOutcome, type ConformanceTarget } from '../support/conformance.js';
import { corpusAvailable } from '../support/corpus.js';
import { databaseName, mariadbRun } from '../support/mysql-cli.js';
import { mysqlServer } from '../support/servers.js';
import { loadSqldefCases } from '../support/sqldef.js';

/**
 * sqldef's mysqldef cases as an oracle for the MySQL/MariaDB diff and SQL generation: for
 * each, `current` and `desired` are created on the server, the diff must be empty exactly
 * when sqldef's `up` is, and the generated script, run on `current` with the `mariadb`
 * client, must give `desired`. Outcomes are kept in sqldef-expectations/mysql.json; a case
 * recorded as passing must keep passing (SCHEMAGUARD_UPDATE_EXPECTATIONS=1 rewrites it).
 */
const server = await mysqlServer();
const runnable = corpusAvailable && server.available;
const cases = runnable ? loadSqldefCases('mysqldef') : [];
const expectations = readExpectations('mysql');
const outcomes = new Map<string, CaseOutcome>();

/** `cannot create it: ERROR 1064 (42000) at line 3: …` → `cannot create it: ERROR 1064`: reasons grouped for the summary. */
function reasonGroup(reason: string): string {
  const error = /^(.*?: ERROR \d+)/.exec(reason);
  if (error !== null) return error[1]!;
  const colon = reason.indexOf(': ');
  return colon < 0 ? reason : reason.slice(0, colon);
}

function summary(): string {
  const counts = { pass: 0, fail: 0, skip: 0 };
  const reasons = new Map<string, number>();
  for (const outcome of outcomes.values()) {
    counts[outcome.status] += 1;
    if (outcome.status !== 'pass') {
      const group = `${outcome.status}: ${reasonGroup(outcome.reason)}`;
      reasons.set(group, (reasons.get(group) ?? 0) + 1);
    }
  }
  const judged = counts.pass + counts.fail;
  const lines = [
    `mysqldef on MariaDB: ${counts.pass}/${judged} judged cases pass (${((100 * counts.pass) / Math.max(judged, 1)).toFixed(1)}%), ${counts.skip} skipped`,
    ...[...reasons.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([reason, count]) => `  ${String(count).padStart(4)}  ${reason}`),
  ];
  return lines.join('\n');
}

describe.skipIf(!runnable)('sqldef mysqldef cases on the MySQL/MariaDB server', () => {
  let target: ConformanceTarget;

  beforeAll(async () => {
    const probe = await createScratchDatabase({ kind: 'server', url: server.url });
    const { product, version } = probe.connection.server;
    await probe.dispose();
    target = {
      engine: 'mysql',
      flavor: product === 'MariaDB' ? 'mariadb' : 'mysql',
      version,
      newScratch: () => createScratchDatabase({ kind: 'server', url: server.url }),
      // The client stops at the first error, as a migration run would. Its message loses the
      // scratch database's name, which differs every run, so the expectations file stays put.
      apply: async (scratch, sql) => {
        try {
          mariadbRun(scratch.url, sql);
        } catch (error) {
          throw new Error((error as Error).message.replaceAll(databaseName(scratch.url), '<database>'));
        }
      },
    };
  });

  afterAll(() => {
    if (outcomes.size === 0) return;
    console.log(summary());
    if (process.env.SCHEMAGUARD_UPDATE_EXPECTATIONS === '1') writeExpectations('mysql', outcomes);
  });

  it.each(cases)('$id', async (testCase) => {
    const outcome = await runCase(target, testCase);
    outcomes.set(testCase.id, outcome);
    if (expectations[testCase.id] === 'pass') expect(outcomeText(outcome)).toBe('pass');
  });
});
