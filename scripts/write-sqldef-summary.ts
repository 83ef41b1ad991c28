// Writes the sqldef pass rates (from test/corpus/sqldef-expectations/*.json, which the corpus
// tests keep) into docs/benchmarks.md between the bench:sqldef markers: npm run docs:sqldef
import { readFileSync, writeFileSync } from 'node:fs';

const ENGINES = [
  ['postgres', 'PostgreSQL 15 (psqldef cases)'],
  ['mysql', 'MariaDB 10.11 (mysqldef cases)'],
  ['sqlite', 'SQLite (sqlite3def cases)'],
] as const;

/** A skip reason without the case's specifics, so that reasons group. */
function skipGroup(reason: string): string {
  const text = reason.replace(/^skip: /, '');
  if (text.startsWith('the case exercises sqldef options')) return 'tests sqldef options (managed roles, enable_drop, config…), not a schema difference';
  if (text.startsWith('flavor !')) return `marked by sqldef as not for ${text.slice('flavor !'.length).split(' ')[0]}`;
  if (text.startsWith('flavor')) return `written for another server flavour (${text.slice('flavor '.length).split(' ')[0]})`;
  if (/cannot create it/.test(text)) return 'the server refuses the case\'s schema (syntax or a feature this version lacks)';
  if (text.startsWith('needs version')) return `needs another server version (${text.slice('needs version '.length)})`;
  return text;
}

const lines: string[] = [];
lines.push('The sqldef YAML cases (../shared/corpus/sqldef): `current` and `desired` applied to two scratch databases; `diff` must exit 1 exactly when sqldef expects DDL, and the `--format sql` script applied to `current` must give `desired`\'s snapshot. Counts from the expectation files the corpus tests hold (test/corpus/sqldef-expectations/).', '');
lines.push('| engine | cases | pass | fail | skipped | pass rate of the cases run |', '| --- | --- | --- | --- | --- | --- |');
const details: string[] = [];
for (const [engine, title] of ENGINES) {
  const results = JSON.parse(readFileSync(new URL(`../test/corpus/sqldef-expectations/${engine}.json`, import.meta.url), 'utf8')) as Record<string, string>;
  const values = Object.entries(results);
  const pass = values.filter(([, v]) => v === 'pass').length;
  const fails = values.filter(([, v]) => v.startsWith('fail'));
  const skips = values.filter(([, v]) => v.startsWith('skip'));
  const run = pass + fails.length;
  lines.push(`| ${title} | ${values.length} | ${pass} | ${fails.length} | ${skips.length} | ${((100 * pass) / Math.max(1, run)).toFixed(1)} % |`);
  const groups = new Map<string, number>();
  for (const [, reason] of skips) groups.set(skipGroup(reason), (groups.get(skipGroup(reason)) ?? 0) + 1);
  details.push(`**${title}** — skipped: ${[...groups].sort((a, b) => b[1] - a[1]).map(([group, count]) => `${count} ${group}`).join('; ') || 'none'}.`);
  if (fails.length > 0) details.push('', 'Failing:', '', ...fails.map(([name, reason]) => `- \`${name}\`: ${reason.replace(/^fail: /, '').replaceAll('|', '\\|')}`));
  details.push('');
}
lines.push('', ...details);

const path = new URL('../docs/benchmarks.md', import.meta.url);
const doc = readFileSync(path, 'utf8');
const start = '<!-- bench:sqldef:start -->';
const end = '<!-- bench:sqldef:end -->';
const section = `${start}\n${lines.join('\n').trimEnd()}\n${end}`;
const next = doc.includes(start) ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), section) : `${doc.trimEnd()}\n\n## sqldef conformance (issue #3)\n\n${section}\n`;
writeFileSync(path, next);
console.log('wrote the sqldef section of docs/benchmarks.md');
