import { diffLines } from 'diff';
import { painter, type Painter } from '../report/terminal.js';
import type { Change } from './change.js';

/** How a value reads in a one-line change: `(none)` for null, lists in brackets, objects compact. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return value === '' ? "''" : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return `[${value.join(', ')}]`;
  return JSON.stringify(value);
}

const LONG_VALUE = 80;

function isLong(value: unknown): boolean {
  const text = formatValue(value);
  return text.includes('\n') || text.length > LONG_VALUE;
}

/** Indented `-`/`+` lines showing how a long value (a view body, a function) changed. */
function lineDiff(before: unknown, after: unknown, paint: Painter, indent: string): string[] {
  const normalise = (value: unknown) => {
    const text = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? '');
    return text.endsWith('\n') ? text : `${text}\n`;
  };
  const lines: string[] = [];
  for (const part of diffLines(normalise(before), normalise(after))) {
    const marker = part.added ? '+' : part.removed ? '-' : ' ';
    const colour = part.added ? paint.green : part.removed ? paint.red : paint.dim;
    const partLines = part.value.replace(/\n$/, '').split('\n');
    // Unchanged stretches are shortened to their edges.
    const shown = marker === ' ' && partLines.length > 4 ? [...partLines.slice(0, 2), '…', ...partLines.slice(-2)] : partLines;
    for (const line of shown) lines.push(colour(`${indent}${marker} ${line}`));
  }
  return lines;
}

/** One line per change — `public.film.rating: type changed text → mpaa_rating` — plus a line diff for long values. */
export function renderChangeLines(change: Change, paint: Painter = painter(false), indent = ''): string[] {
  switch (change.action) {
    case 'added':
      return [`${indent}${paint.green(`${change.name}: ${change.kind} added`)}`];
    case 'removed':
      return [`${indent}${paint.red(`${change.name}: ${change.kind} removed`)}`];
    case 'renamed':
      return [`${indent}${paint.yellow(`${change.name}: ${change.kind} renamed from ${change.from}`)}`];
    case 'changed':
      if (isLong(change.before) || isLong(change.after)) {
        return [`${indent}${paint.yellow(`${change.name}: ${change.kind} ${change.attribute} changed`)}`, ...lineDiff(change.before, change.after, paint, `${indent}    `)];
      }
      return [`${indent}${paint.yellow(`${change.name}: ${change.attribute} changed`)} ${formatValue(change.before)} → ${formatValue(change.after)}`];
  }
}

/** The object a change belongs to for grouping: its table for columns, indexes, constraints, triggers. */
function groupKey(change: Change): string {
  const { schema, table, name } = change.path;
  return `${schema ?? ''}\u0000${table ?? name}`;
}

function groupName(change: Change): string {
  if (change.path.table === null) return change.name;
  const suffix = `.${change.path.name}`;
  return change.name.endsWith(suffix) ? change.name.slice(0, -suffix.length) : change.name;
}

export interface TextDiffOptions {
  readonly color?: boolean;
}

/**
 * Changes grouped by the object they belong to, each on its own line with its full name, and
 * a summary line. Colour only when asked (the CLI asks on a TTY without NO_COLOR).
 */
export function renderTextDiff(changes: readonly Change[], options: TextDiffOptions = {}): string {
  const paint = painter(options.color === true);
  if (changes.length === 0) return 'no differences\n';
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const key = groupKey(change);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [change]);
    else group.push(change);
  }
  const lines: string[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    if (group.length === 1 && first.path.table === null) {
      lines.push(...renderChangeLines(first, paint));
      continue;
    }
    lines.push(paint.bold(`${groupName(first)}:`));
    for (const change of group) lines.push(...renderChangeLines(change, paint, '  '));
  }
  const count = (action: Change['action']) => changes.filter((c) => c.action === action).length;
  const parts = (['added', 'removed', 'renamed', 'changed'] as const).filter((a) => count(a) > 0).map((a) => `${count(a)} ${a}`);
  lines.push(`${changes.length} difference${changes.length === 1 ? '' : 's'} (${parts.join(', ')})`);
  return `${lines.join('\n')}\n`;
}
