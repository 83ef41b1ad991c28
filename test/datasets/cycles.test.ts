import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDataset, readDataset } from '../../src/datasets/index.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { count, ENGINES, projectPath, query, scratchFor, type EngineCase } from './engines.js';

/**
 * Foreign key cycles: deferred where the engine and the constraint allow it (PostgreSQL
 * DEFERRABLE, any SQLite foreign key), loaded in two phases where a column is nullable
 * (insert NULL, UPDATE afterwards), and a clear error otherwise.
 */

function fixture(name: string): string {
  return readFileSync(projectPath(`test/fixtures/datasets/cycles/${name}`), 'utf8');
}

async function withScratch<T>(engine: EngineCase, schema: string, work: (scratch: ScratchDatabase) => Promise<T>): Promise<T> {
  const scratch = await scratchFor(engine, schema);
  try {
    return await work(scratch);
  } finally {
    await scratch.dispose();
  }
}

async function orgChart(scratch: ScratchDatabase): Promise<{ employees: unknown[]; heads: unknown[] }> {
  return {
    employees: await query(
      scratch,
      `select e.name, d.name as department, m.name as manager
         from employees e join departments d on d.id = e.department_id left join employees m on m.id = e.manager_id
        order by e.name`,
    ),
    heads: await query(scratch, 'select d.name, h.name as head from departments d join employees h on h.id = d.head_id order by d.name'),
  };
}

const ORG_CHART = {
  employees: [
    { name: 'Ada', department: 'Engineering', manager: 'Grace' },
    { name: 'Grace', department: 'Engineering', manager: null },
    { name: 'Linus', department: 'Operations', manager: 'Grace' },
  ],
  heads: [
    { name: 'Engineering', head: 'Grace' },
    { name: 'Operations', head: 'Linus' },
  ],
};

describe.each(ENGINES)('foreign key cycles on $name', (engine) => {
  it.skipIf(!engine.available)('a cycle through nullable columns loads, references to database-made keys included', async () => {
    await withScratch(engine, fixture(`org.${engine.flavour}.sql`), async (scratch) => {
      const org = await readDataset(projectPath('test/fixtures/datasets/cycles/org.yaml'));
      const result = await loadDataset(scratch.connection, org);
      expect(await orgChart(scratch)).toEqual(ORG_CHART);
      if (engine.flavour === 'sqlite') {
        // SQLite defers any foreign key (PRAGMA defer_foreign_keys): employees go first, with the given department ids.
        expect(result.deferredConstraints).toBe(true);
        expect(result.twoPhase).toEqual(['employees.manager_id → employees']);
      } else {
        expect(result.deferredConstraints).toBe(false);
        expect([...result.twoPhase].sort()).toEqual(['departments.head_id → employees', 'employees.manager_id → employees']);
        expect(result.tables.find((table) => table.table === 'departments')?.updated).toBe(2);
      }
      // Emptying a cycle (clean-insert) clears the nullable columns first, whatever order rows are checked in.
      await loadDataset(scratch.connection, org, { operation: 'clean-insert' });
      expect(await orgChart(scratch)).toEqual(ORG_CHART);
      await loadDataset(scratch.connection, org, { operation: 'delete-all' });
      expect([await count(scratch, 'employees'), await count(scratch, 'departments')]).toEqual([0, 0]);
    });
  });

  it.skipIf(!engine.available)(
    engine.flavour === 'sqlite' ? 'a cycle of NOT NULL columns loads, every foreign key deferred to commit' : 'a cycle of NOT NULL columns that cannot be deferred fails clearly, before writing',
    async () => {
      await withScratch(engine, fixture(`pair.${engine.flavour}.sql`), async (scratch) => {
        const pair = await readDataset(projectPath('test/fixtures/datasets/cycles/pair.yaml'));
        if (engine.flavour === 'sqlite') {
          const result = await loadDataset(scratch.connection, pair);
          expect(result.deferredConstraints).toBe(true);
          expect(await query(scratch, 'select a.id as a, b.id as b from a join b on b.id = a.b_id and b.a_id = a.id order by a.id')).toEqual([
            { a: 1, b: 10 },
            { a: 2, b: 20 },
          ]);
          return;
        }
        const hint = engine.flavour === 'postgres' ? /DEFERRABLE/ : /MySQL cannot defer/;
        await expect(loadDataset(scratch.connection, pair)).rejects.toThrow(
          expect.objectContaining({
            message: 'test/fixtures/datasets/cycles/pair.yaml:2: foreign key cycle a → b → a without deferrable constraints or a nullable column',
            hint: expect.stringMatching(hint),
          }),
        );
        expect([await count(scratch, 'a'), await count(scratch, 'b')]).toEqual([0, 0]);
      });
    },
  );

  it.skipIf(!engine.available || engine.flavour !== 'postgres')('a cycle of DEFERRABLE constraints loads in one transaction with SET CONSTRAINTS ALL DEFERRED', async () => {
    await withScratch(engine, fixture('pair-deferrable.postgres.sql'), async (scratch) => {
      const pair = await readDataset(projectPath('test/fixtures/datasets/cycles/pair.yaml'));
      const result = await loadDataset(scratch.connection, pair);
      expect(result.deferredConstraints).toBe(true);
      expect(result.twoPhase).toEqual([]);
      expect(await query(scratch, 'select a.id as a, b.id as b from a join b on b.id = a.b_id and b.a_id = a.id order by a.id')).toEqual([
        { a: 1, b: 10 },
        { a: 2, b: 20 },
      ]);
      // Still checked at commit: a dangling reference fails the whole load.
      const dangling = await readDataset(projectPath('test/fixtures/datasets/cycles/pair-dangling.yaml'));
      await expect(loadDataset(scratch.connection, dangling, { operation: 'clean-insert' })).rejects.toThrow(/pair-dangling\.yaml: loading into .* failed: .*foreign key/);
      expect(await count(scratch, 'a')).toBe(2);
    });
  });
});
