import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { diffSnapshots } from '../../src/diff/diff-snapshots.js';
import type { SchemaSnapshot } from '../../src/snapshot/model.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';
import { scratchWith, snapshotOf } from '../support/scratch.js';

/**
 * sqldef's SQLite cases give a `current` and a `desired` schema and the DDL between them
 * (`up`): the two schemas differ exactly when `up` is not empty. Written by another project
 * for another purpose, they exercise spellings our own fixture does not.
 */

interface SqldefCase {
  readonly current?: string;
  readonly desired?: string;
  readonly up?: string;
}

const CASE_DIR = 'sqldef/cmd/sqlite3def';

function loadCases(): [string, SqldefCase][] {
  if (!corpusAvailable) return [];
  return readdirSync(corpusPath(CASE_DIR))
    .filter((file) => file.endsWith('.yml'))
    .flatMap((file) =>
      Object.entries((YAML.parse(readFileSync(corpusPath(CASE_DIR, file), 'utf8')) ?? {}) as Record<string, SqldefCase>)
        .filter(([, c]) => typeof c === 'object' && c !== null && typeof c.desired === 'string' && typeof c.up === 'string')
        .map(([name, c]): [string, SqldefCase] => [`${file} ${name}`, c]),
    );
}

async function snapshotOfSql(sql: string): Promise<SchemaSnapshot> {
  const scratch = await scratchWith({ kind: 'sqlite' }, sql);
  try {
    return await snapshotOf(scratch);
  } finally {
    await scratch.dispose();
  }
}

const CASES = loadCases();

describe.skipIf(!corpusAvailable)('sqldef SQLite cases', () => {
  it('are there to read', () => {
    expect(CASES.length).toBeGreaterThan(20);
  });

  it.each(CASES)('%s: the diff is empty exactly when sqldef’s up is', async (_name, c) => {
    const current = await snapshotOfSql(c.current ?? '');
    const desired = await snapshotOfSql(c.desired ?? '');
    const changes = diffSnapshots(current, desired);
    expect(changes.length > 0).toBe((c.up ?? '').trim() !== '');
  });
});
