import { diffLines } from 'diff';
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
function lineDiff(before: unknown, after: unknown): string[] {
  const normalise = (value: unknown) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? '';
    return text.endsWith('\n') ? text : `${text}\n`;
  };
  const lines: string[] = [];
  for (const part of diffLines(normalise(before), normalise(after))) {
    const marker = part.added ? '+' : part.removed ? '-' : ' ';
    const partLines = part.value.replace(/\n$/, '').split('\n');
    // Unchanged stretches are shortened to their edges.
    const shown = marker === ' ' && partLines.length > 4 ? [...partLines.slice(0, 2), '…', ...partLines.slice(-2)] : partLines;
    for (const line of shown) lines.push(`    ${marker} ${line}`);
  }
  return lines;
}

/** One line per change (plus an indented line diff for long values). */
export function renderChangeLines(change: Change): string[] {
  switch (change.action) {
    case 'added':
      return [`${change.name}: ${change.kind} added`];
    case 'removed':
      return [`${change.name}: ${change.kind} removed`];
    case 'changed':
      if (isLong(change.before) || isLong(change.after)) {
        return [`${change.name}: ${change.kind} ${change.attribute} changed`, ...lineDiff(change.before, change.after)];
      }
      return [`${change.name}: ${change.attribute} changed ${formatValue(change.before)} → ${formatValue(change.after)}`];
  }
}

export function renderTextDiff(changes: readonly Change[]): string {
  if (changes.length === 0) return 'no differences\n';
  const lines = changes.flatMap(renderChangeLines);
  const summary = `${changes.length} difference${changes.length === 1 ? '' : 's'}`;
  return `${lines.join('\n')}\n${summary}\n`;
}
