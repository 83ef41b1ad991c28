import { afterAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../src/scratch/scratch-database.js';
import { disposeConformancePool, outcomeText, readExpectations, runCase, writeExpectations, type CaseOutcome, type ConformanceTarget } from '../support/conformance.js';
import { corpusAvailable } from '../support/corpus.js';
import { psqlApply, psqlCount } from '../support/postgres-cli.js';
import { POSTGRES_RESET_SQL } from '../support/postgres-reset.js';
import { postgresServer } from '../support/servers.js';
import { loadSqldefCases } from '../support/sqldef.js';

const server = await postgresServer();
const runnable = corpusAvailable && server.available;
const cases = runnable ? loadSqldefCases('psqldef') : [];
const expectations = readExpectations('postgres');
const outcomes = new Map<string, CaseOutcome>();

describe.skipIf(!runnable)('sqldef psqldef cases on the PostgreSQL server', () => {
  let target: ConformanceTarget;

  afterAll(async () => {
    await disposeConformancePool(target);
    if (outcomes.size === 0) return;
    const counts = { pass: 0, fail: 0, skip: 0 };
    for (const outcome of outcomes.values()) counts[outcome.status] += 1;
    const judged = counts.pass + counts.fail;
    console.log(`psqldef: ${counts.pass}/${judged} judged cases pass (${((100 * counts.pass) / Math.max(judged, 1)).toFixed(1)}%), ${counts.skip} skipped`);
    if (process.env.SCHEMAGUARD_UPDATE_EXPECTATIONS === '1') writeExpectations('postgres', outcomes);
  });

  // Cases run four at a time: each holds two databases from the pool, and waits on the server.
  it.concurrent.each(cases)('$id', async (testCase) => {
    target ??= {
      engine: 'postgres',
      flavor: 'postgres',
      version: String(Math.floor(psqlCount(server.url, 'SHOW server_version_num') / 10000)),
      newScratch: () => createScratchDatabase({ kind: 'server', url: server.url }),
      apply: async (scratch, sql) => psqlApply(scratch.url, sql),
      load: (scratch, sql) => scratch.connection.executeScript(sql),
      reset: (scratch) => scratch.connection.executeScript(POSTGRES_RESET_SQL),
    };
    const outcome = await runCase(target, testCase);
    outcomes.set(testCase.id, outcome);
    if (expectations[testCase.id] === 'pass') expect(outcomeText(outcome)).toBe('pass');
  });
});
