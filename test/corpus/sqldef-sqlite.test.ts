import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { outcomeText, readExpectations, runCase, writeExpectations, type CaseOutcome, type ConformanceTarget } from '../support/conformance.js';
import { corpusAvailable } from '../support/corpus.js';
import { loadSqldefCases } from '../support/sqldef.js';

/**
 * sqldef's sqlite3def cases: the diff must be empty exactly when sqldef generates nothing,
 * and the SQL schemaguard generates, run with the sqlite3 shell on `current`, must give a
 * database that snapshots equal to `desired`. A case recorded as passing in
 * sqldef-expectations/sqlite.json must keep passing.
 */

const cases = corpusAvailable ? loadSqldefCases('sqlite3def') : [];
const expectations = readExpectations('sqlite');
const outcomes = new Map<string, CaseOutcome>();

/** The SQLite schemaguard reads with (better-sqlite3's), not the shell's. */
function librarySqliteVersion(): string {
  const database = new Database(':memory:');
  try {
    return String(database.prepare('SELECT sqlite_version()').pluck().get());
  } finally {
    database.close();
  }
}

/** `sqlite3 -bail scratch.db < script`: stops at the first error, as a careful user runs a migration. */
async function applyWithShell(scratch: ScratchDatabase, script: string): Promise<void> {
  if (scratch.url.kind !== 'sqlite') throw new Error('not a SQLite scratch database');
  try {
    execFileSync('sqlite3', ['-bail', scratch.url.path], { input: script, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(stderr === '' ? String(error) : stderr);
  }
}

const target: ConformanceTarget = {
  engine: 'sqlite',
  flavor: 'sqlite',
  version: corpusAvailable ? librarySqliteVersion() : '0',
  newScratch: () => createScratchDatabase({ kind: 'sqlite' }),
  apply: applyWithShell,
};

function report(): string {
  const counts = { pass: 0, fail: 0, skip: 0 };
  const skipped = new Map<string, number>();
  const failed = new Map<string, number>();
  for (const outcome of outcomes.values()) {
    counts[outcome.status] += 1;
    if (outcome.status === 'skip') skipped.set(outcome.reason, (skipped.get(outcome.reason) ?? 0) + 1);
    if (outcome.status === 'fail') failed.set(outcome.reason, (failed.get(outcome.reason) ?? 0) + 1);
  }
  const judged = counts.pass + counts.fail;
  const lines = [
    `sqlite3def: ${counts.pass}/${judged} judged cases pass (${((100 * counts.pass) / Math.max(judged, 1)).toFixed(1)}%), ${counts.skip} skipped`,
  ];
  const grouped = (title: string, reasons: Map<string, number>) => {
    if (reasons.size === 0) return;
    lines.push(`  ${title}:`);
    for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1])) lines.push(`    ${count} × ${reason}`);
  };
  grouped('skipped', skipped);
  grouped('failed', failed);
  return lines.join('\n');
}

describe.skipIf(!corpusAvailable || cases.length === 0)('sqldef sqlite3def cases on SQLite', () => {
  afterAll(() => {
    if (outcomes.size === 0) return;
    console.log(report());
    if (process.env.SCHEMAGUARD_UPDATE_EXPECTATIONS === '1') writeExpectations('sqlite', outcomes);
  });

  it.each(cases)('$id', async (testCase) => {
    const outcome = await runCase(target, testCase);
    outcomes.set(testCase.id, outcome);
    if (expectations[testCase.id] === 'pass') expect(outcomeText(outcome)).toBe('pass');
  });
});
