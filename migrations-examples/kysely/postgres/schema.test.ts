// An example of schemaguard inside a test suite (vitest here; jest reads the same).
// Run from the repository: npx vitest run migrations-examples/kysely/postgres/schema.test.ts
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyMigrations, expectSchemaToMatchBaseline, openScratchDatabase, takeSnapshot } from 'schemaguard';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

describe('the Kysely migrations', () => {
  it('build the schema the team reviewed (schemaguard/schema.json)', async () => {
    const db = await openScratchDatabase('pglite:');
    try {
      await applyMigrations(db, here('migrations'), { dialect: 'postgres' });
      // Fails with the diff as the message when the migrations and the baseline disagree.
      await expectSchemaToMatchBaseline(db, here('schemaguard/schema.json'), { ci: true });
      const snapshot = await takeSnapshot(db);
      expect(snapshot.tables.map((t) => t.name)).toContain('users');
    } finally {
      await db.dispose();
    }
  });
});
