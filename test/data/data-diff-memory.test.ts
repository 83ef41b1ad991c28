import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/dialects/connect.js';
import type { ConsistentRead } from '../../src/dialects/dialect.js';
import { diffData } from '../../src/diff/data-diff.js';
import type { OpenSource } from '../../src/snapshot/data-source.js';
import { sqlite3 } from './support.js';

/**
 * `diff --data` of two 200,000-row tables must stream: both sides are read in key order a
 * chunk at a time, so the heap holds a chunk per side and the listed examples, not the tables.
 * Kept cheap (SQLite files); the heap is sampled at every chunk either side reads.
 */
const dir = mkdtempSync(join(tmpdir(), 'schemaguard-data-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 200_000;
const make = (path: string, changes: string) =>
  sqlite3(
    path,
    `CREATE TABLE wide (id INTEGER PRIMARY KEY, payload TEXT, amount REAL);
     WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${ROWS})
     INSERT INTO wide SELECT i, printf('%d %.*c', i, 150, 'x'), i / 7.0 FROM s;
     ${changes}`,
  );

describe('diff --data memory', () => {
  it('stays flat when comparing two 200,000-row tables', async () => {
    const a = join(dir, 'a.sqlite');
    const b = join(dir, 'b.sqlite');
    make(a, '');
    make(b, `UPDATE wide SET amount = -1 WHERE id % 1000 = 0; DELETE FROM wide WHERE id % 5000 = 1; INSERT INTO wide VALUES (${ROWS + 1}, 'new', 0);`);
    let peak = 0;
    const sample = () => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    };
    // Every chunk either side hands over is a moment to look at the heap.
    const sampled = (read: ConsistentRead): ConsistentRead => ({
      captureSchema: (options) => read.captureSchema(options),
      scanTable: (table, snapshot) => {
        const scan = read.scanTable(table, snapshot);
        if (scan === null) return null;
        return {
          kinds: scan.kinds,
          async *rows(order) {
            for await (const chunk of scan.rows(order)) {
              sample();
              yield chunk;
            }
          },
        };
      },
    });
    const open = (path: string) => openDatabase({ kind: 'sqlite', engine: 'sqlite', path }, 'read-only', { statementTimeoutMs: 30_000 });
    const [left, right] = await Promise.all([open(a), open(b)]);
    try {
      const before = process.memoryUsage().heapUsed;
      const result = await left.readConsistent((x) =>
        right.readConsistent(async (y) => {
          const side = async (source: string, read: ConsistentRead): Promise<OpenSource> => ({
            source: { kind: 'database', url: { kind: 'sqlite', engine: 'sqlite', path: source } },
            snapshot: await read.captureSchema({ schemas: [] }),
            read: sampled(read),
          });
          return diffData(await side(a, x), await side(b, y), { tables: [], maxRows: 20 });
        }),
      );
      const table = result.tables[0]!;
      expect(table.changed!.count).toBe(200);
      expect(table.missing!.count).toBe(40);
      expect(table.extra!.count).toBe(1);
      expect(table.changed!.rows).toHaveLength(20);
      expect(table.rowCount).toEqual({ a: ROWS, b: ROWS - 40 + 1 });
      // Holding either table would take well over 100 MB (200,000 rows of ~170 bytes, as strings and arrays).
      const growthMb = (peak - before) / 1024 / 1024;
      expect(growthMb).toBeLessThan(48);
    } finally {
      await Promise.all([left.close(), right.close()]);
    }
  });
});
