// npm run bench [-- --suite snapshot] [--runs 5] [--write]
// Benchmarks, not tests: figures go to docs/benchmarks.md (with --write) and to stdout.
import { parseArgs } from 'node:util';
import { runAllCleanups } from '../src/scratch/cleanup.js';
import { dataSuite } from './suites/data.js';
import { diffSuite } from './suites/diff.js';
import { migrateSuite } from './suites/migrate.js';
import { snapshotSuite } from './suites/snapshot.js';
import { writeSection } from './support.js';

const SUITES: Record<string, (runs: number) => Promise<string>> = {
  snapshot: snapshotSuite,
  diff: diffSuite,
  migrate: migrateSuite,
  data: dataSuite,
};

const { values } = parseArgs({
  options: {
    suite: { type: 'string', multiple: true },
    runs: { type: 'string', default: '5' },
    write: { type: 'boolean', default: false },
  },
});

const chosen = values.suite ?? Object.keys(SUITES);
try {
  for (const name of chosen) {
    const suite = SUITES[name];
    if (suite === undefined) throw new Error(`unknown suite ${name}; known: ${Object.keys(SUITES).join(', ')}`);
    process.stderr.write(`== ${name}\n`);
    const markdown = await suite(Number(values.runs));
    process.stdout.write(`\n## ${name}\n\n${markdown}\n`);
    if (values.write) writeSection(name, markdown);
  }
} finally {
  await runAllCleanups();
}
