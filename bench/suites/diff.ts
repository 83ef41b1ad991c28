import { compareSnapshots } from '../../src/diff/diff-snapshots.js';
import { renderTextDiff } from '../../src/diff/render-text.js';
import { parseSnapshot, serializeSnapshot } from '../../src/snapshot/canonical.js';
import type { SchemaSnapshot } from '../../src/snapshot/model.js';
import { createScratchDatabase } from '../../src/scratch/scratch-database.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_SHAPE, generateSchema } from '../generate-schema.js';
import { BIN, fmt, machineLine, medianMs, run } from '../support.js';

/**
 * Issue #3: diff of two 1,000-table snapshots with 100 scattered changes. Target: under 0.2 s
 * of the process's time beyond start-up. Measured in process (compare + render) and as the
 * CLI on two snapshot files, beside the CLI's start-up (`--version`).
 */
function scatterChanges(snapshot: SchemaSnapshot, count: number): SchemaSnapshot {
  const copy = structuredClone(snapshot);
  const step = Math.floor(copy.tables.length / count);
  for (let i = 0; i < count; i += 1) {
    const table = copy.tables[i * step]!;
    switch (i % 4) {
      case 0:
        table.columns[3]!.type = 'text';
        break;
      case 1:
        table.columns[4]!.nullable = !table.columns[4]!.nullable;
        break;
      case 2:
        table.indexes.pop();
        break;
      default:
        table.comment = `changed ${i}`;
    }
  }
  return copy;
}

export async function diffSuite(runs: number): Promise<string> {
  const scratch = await createScratchDatabase({ kind: 'pglite' }, { statementTimeoutMs: 600_000 });
  let before: SchemaSnapshot;
  try {
    await scratch.connection.executeScript(generateSchema('postgres', BENCH_SHAPE));
    before = await scratch.connection.captureSchema({ schemas: [] });
  } finally {
    await scratch.dispose();
  }
  const after = scatterChanges(before, 100);
  const dir = mkdtempSync(join(tmpdir(), 'schemaguard-bench-diff-'));
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  writeFileSync(a, serializeSnapshot(before));
  writeFileSync(b, serializeSnapshot(after));
  const changes = compareSnapshots(before, after).changes.length;
  const compare = await medianMs(runs, () => renderTextDiff(compareSnapshots(before, after).changes));
  const parse = await medianMs(runs, () => [parseSnapshot(serializeSnapshot(before), 'a'), parseSnapshot(serializeSnapshot(after), 'b')]);
  const startup = await medianMs(runs, () => run(process.execPath, [BIN, '--version']));
  const cli = await medianMs(runs, () => {
    try {
      run(process.execPath, [BIN, 'diff', a, b]);
    } catch {
      // exit 1: differences found, as intended
    }
  });
  return [
    `Two snapshots of the ${BENCH_SHAPE.tables}-table schema (PostgreSQL, ${(serializeSnapshot(before).length / 1e6).toFixed(1)} MB each), 100 scattered changes (${changes} reported). Median of ${runs} runs; ${machineLine()}.`,
    '',
    '| measure | time |',
    '| --- | --- |',
    `| compare + render text (in process) | ${fmt(compare)} |`,
    `| read and validate both files (in process) | ${fmt(parse)} |`,
    `| \`schemaguard diff a.json b.json\` (CLI, wall) | ${fmt(cli)} |`,
    `| CLI start-up (\`schemaguard --version\`) | ${fmt(startup)} |`,
    `| **CLI beyond start-up** (target < 0.2 s) | **${fmt(cli - startup)}** ${cli - startup < 200 ? '✓' : '✗'} |`,
  ].join('\n');
}
