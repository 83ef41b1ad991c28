import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBaseline, obsoleteBaselines, readBaseline } from '../../src/baseline/baseline.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { SchemaSnapshot } from '../../src/snapshot/model.js';
import { scratchWith, snapshotOf } from '../support/scratch.js';

let scratch: ScratchDatabase;
let first: SchemaSnapshot;
let second: SchemaSnapshot;
const dir = mkdtempSync(join(tmpdir(), 'schemaguard-baseline-'));

beforeAll(async () => {
  scratch = await scratchWith({ kind: 'sqlite' }, 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);');
  first = await snapshotOf(scratch);
  await scratch.connection.executeScript('CREATE INDEX users_email_idx ON users (email);');
  second = await snapshotOf(scratch);
});
afterAll(async () => {
  await scratch?.dispose();
});

describe('baselines', () => {
  it('are written on a first local run, like a Jest snapshot', async () => {
    const path = join(dir, 'a', 'schema.json');
    expect(await checkBaseline(first, path, { update: false, ci: false })).toEqual({ status: 'written', path });
    expect(existsSync(path)).toBe(true);
    expect(await checkBaseline(first, path, { update: false, ci: false })).toEqual({ status: 'matched', path });
  });

  it('are never written in CI: a missing one fails', async () => {
    const path = join(dir, 'ci', 'schema.json');
    expect(await checkBaseline(first, path, { update: true, ci: true })).toEqual({ status: 'missing', path });
    expect(existsSync(path)).toBe(false);
  });

  it('fail with the changes when the schema moved on, and are rewritten with -u', async () => {
    const path = join(dir, 'b.json');
    await checkBaseline(first, path, { update: false, ci: false });
    const mismatch = await checkBaseline(second, path, { update: false, ci: false });
    expect(mismatch.status).toBe('mismatched');
    expect(mismatch.status === 'mismatched' && mismatch.changes.map((c) => c.name)).toEqual(['users.users_email_idx']);
    expect((await checkBaseline(second, path, { update: true, ci: false })).status).toBe('updated');
    expect((await checkBaseline(second, path, { update: false, ci: true })).status).toBe('matched');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('report a corrupt baseline in one line with the fix', async () => {
    const path = join(dir, 'corrupt.json');
    writeFileSync(path, '{"format": "schemaguard-snapshot", "formatVersion": 1, "tables": [}');
    await expect(readBaseline(path)).rejects.toThrow(/^corrupt baseline .*corrupt\.json: not valid JSON/);
    await expect(readBaseline(path)).rejects.toMatchObject({ hint: expect.stringMatching(/rewrite it with -u/) });
  });

  it('do not record owners (the scratch database belongs to whoever ran the check)', async () => {
    const path = join(dir, 'owners.json');
    await checkBaseline({ ...first, tables: first.tables.map((t) => ({ ...t, owner: 'alice' })) }, path, { update: false, ci: false });
    expect(readFileSync(path, 'utf8')).not.toContain('alice');
    const asBob = { ...first, tables: first.tables.map((t) => ({ ...t, owner: 'bob' })) };
    expect((await checkBaseline(asBob, path, { update: false, ci: true })).status).toBe('matched');
  });

  it('no check produced any more are obsolete', () => {
    const folder = join(dir, 'folder');
    writeFileSync(join(dir, 'x'), '');
    const used = join(dir, 'a', 'schema.json');
    expect(obsoleteBaselines(join(dir, 'a'), [used])).toEqual([]);
    expect(obsoleteBaselines(dir, [join(dir, 'b.json')])).toEqual([join(dir, 'corrupt.json'), join(dir, 'owners.json')]);
    expect(obsoleteBaselines(folder, [])).toEqual([]);
  });
});
