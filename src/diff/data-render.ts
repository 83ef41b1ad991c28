import { painter } from '../report/terminal.js';
import type { DataDiffResult, Row, TableDataDiff } from './data-diff.js';
import type { DataValue } from '../snapshot/model.js';

/** How a stored value reads in a report: numbers bare, other text quoted, NULL as NULL. */
export function formatDataValue(value: DataValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return String(value);
  return /^-?\d+(\.\d+)?$/.test(value) ? value : JSON.stringify(value);
}

function formatRow(row: Row): string {
  return Object.entries(row)
    .map(([column, value]) => `${column}=${formatDataValue(value)}`)
    .join(', ');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function counts(table: TableDataDiff): string {
  const { a, b } = table.rowCount;
  return a === b ? plural(a ?? 0, 'row') : `${a ?? 0} → ${b ?? 0} rows`;
}

/**
 * The data section of a text diff: one line per table whose data differs, then its missing
 * (`-`), extra (`+`) and changed (`~`) rows by key, and a summary line.
 */
export function renderTextDataDiff(result: DataDiffResult, options: { readonly color?: boolean } = {}): string {
  const paint = painter(options.color === true);
  const lines: string[] = [paint.bold('data:')];
  const differing = result.tables.filter((t) => t.status !== 'equal');
  for (const table of differing) {
    if (table.status === 'only in a' || table.status === 'only in b') {
      const side = table.status === 'only in a' ? 'a' : 'b';
      lines.push(`  ${(side === 'a' ? paint.red : paint.green)(`${table.name}: table only in ${side}`)} (${plural(table.rowCount[side] ?? 0, 'row')})`);
      continue;
    }
    if (table.comparedBy === 'fingerprint') {
      const what = table.rowCount.a === table.rowCount.b ? `${counts(table)}, fingerprints differ` : counts(table);
      lines.push(`  ${paint.yellow(`${table.name}: ${what}`)} ${paint.dim(`(${table.note ?? 'compared by fingerprint'})`)}`);
      continue;
    }
    const parts = [
      table.missing!.count > 0 ? `${table.missing!.count} missing` : null,
      table.extra!.count > 0 ? `${table.extra!.count} extra` : null,
      table.changed!.count > 0 ? `${table.changed!.count} changed` : null,
    ].filter((p) => p !== null);
    lines.push(`  ${paint.yellow(`${table.name}: ${parts.join(', ')} ${table.missing!.count + table.extra!.count + table.changed!.count === 1 ? 'row' : 'rows'}`)} (${counts(table)})`);
    for (const row of table.missing!.rows) lines.push(paint.red(`    - ${formatRow(row.key)}: only in a: ${formatRow(row.row)}`));
    if (table.missing!.count > table.missing!.rows.length) lines.push(paint.dim(`    … ${table.missing!.count - table.missing!.rows.length} more missing`));
    for (const row of table.extra!.rows) lines.push(paint.green(`    + ${formatRow(row.key)}: only in b: ${formatRow(row.row)}`));
    if (table.extra!.count > table.extra!.rows.length) lines.push(paint.dim(`    … ${table.extra!.count - table.extra!.rows.length} more extra`));
    for (const row of table.changed!.rows) {
      const changes = row.columns.map((c) => `${c.column} ${formatDataValue(c.a)} → ${formatDataValue(c.b)}`).join(', ');
      lines.push(paint.yellow(`    ~ ${formatRow(row.key)}: ${changes}`));
    }
    if (table.changed!.count > table.changed!.rows.length) lines.push(paint.dim(`    … ${table.changed!.count - table.changed!.rows.length} more changed`));
  }
  const equal = result.tables.length - differing.length;
  const notes = result.tables.filter((t) => t.status === 'equal' && t.note !== null);
  if (equal > 0) lines.push(paint.dim(`  ${plural(equal, 'table')} with equal data${notes.length > 0 ? ` (${notes.length} compared by row count and fingerprint only)` : ''}`));
  lines.push(differing.length === 0 ? 'no data differences' : `${plural(differing.length, 'table')} with different data`);
  return `${lines.join('\n')}\n`;
}
