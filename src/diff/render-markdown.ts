import type { SchemaSnapshot, Table } from '../snapshot/model.js';
import { qualifiedName } from '../snapshot/names.js';
import type { Change } from './change.js';
import { formatValue } from './render-text.js';

/**
 * Markdown for a pull request comment or $GITHUB_STEP_SUMMARY: a summary, a table of changes,
 * long values as collapsible diffs, and a Mermaid erDiagram of the changed tables and their
 * neighbours (the tables their foreign keys point to or come from).
 */
export function renderMarkdownDiff(changes: readonly Change[], before: SchemaSnapshot, after: SchemaSnapshot, title: string): string {
  const lines: string[] = [`## ${title}`, ''];
  if (changes.length === 0) {
    lines.push('No differences.', '');
    return lines.join('\n');
  }
  const count = (action: Change['action']) => changes.filter((c) => c.action === action).length;
  lines.push(
    `**${changes.length} difference${changes.length === 1 ? '' : 's'}**: ${(['added', 'removed', 'renamed', 'changed'] as const)
      .filter((a) => count(a) > 0)
      .map((a) => `${count(a)} ${a}`)
      .join(', ')}`,
    '',
    '| | object | kind | change |',
    '| --- | --- | --- | --- |',
  );
  const details: string[] = [];
  for (const change of changes) {
    const icon = { added: '➕', removed: '➖', renamed: '🔀', changed: '✏️' }[change.action];
    lines.push(`| ${icon} | \`${escapeCell(change.name)}\` | ${change.kind} | ${escapeCell(describe(change, details))} |`);
  }
  lines.push('');
  const diagram = erDiagram(changes, before, after);
  if (diagram !== null) lines.push('### Changed tables and their neighbours', '', '```mermaid', diagram, '```', '');
  if (details.length > 0) lines.push(...details);
  return lines.join('\n');
}

function describe(change: Change, details: string[]): string {
  switch (change.action) {
    case 'added':
      return 'added';
    case 'removed':
      return 'removed';
    case 'renamed':
      return `renamed from \`${change.from}\``;
    case 'changed': {
      const before = formatValue(change.before);
      const after = formatValue(change.after);
      if (before.length + after.length > 80 || before.includes('\n') || after.includes('\n')) {
        details.push(
          `<details><summary><code>${escapeHtml(change.name)}</code>: ${escapeHtml(change.attribute)}</summary>`,
          '',
          '```diff',
          ...before.split('\n').map((line) => `- ${line}`),
          ...after.split('\n').map((line) => `+ ${line}`),
          '```',
          '</details>',
          '',
        );
        return `${change.attribute} changed (see below)`;
      }
      return `${change.attribute}: \`${before}\` → \`${after}\``;
    }
  }
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Mermaid entity names allow letters, digits, `_` and `-`. */
const entity = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_');
const mermaidType = (type: string) => type.replace(/\s+/g, '_').replace(/[^A-Za-z0-9_()[\],-]/g, '') || 'unknown';

function erDiagram(changes: readonly Change[], before: SchemaSnapshot, after: SchemaSnapshot): string | null {
  const tables = new Map<string, Table>();
  for (const table of [...before.tables, ...after.tables]) tables.set(`${table.schema}.${table.name}`, table);
  const changed = new Set<string>();
  for (const change of changes) {
    const { schema, table, name } = change.path;
    if (schema === null) continue;
    const key = `${schema}.${table ?? name}`;
    if (tables.has(key)) changed.add(key);
  }
  if (changed.size === 0) return null;
  // Neighbours: tables a changed table references, and tables referencing it.
  const shown = new Set(changed);
  for (const table of tables.values()) {
    const key = `${table.schema}.${table.name}`;
    for (const fk of table.foreignKeys) {
      const target = `${fk.referencedSchema}.${fk.referencedTable}`;
      if (changed.has(key) && tables.has(target)) shown.add(target);
      if (changed.has(target)) shown.add(key);
    }
  }
  const engine = after.engine;
  const display = (key: string) => {
    const table = tables.get(key)!;
    return entity(qualifiedName(engine, table.schema, table.name));
  };
  const lines = ['erDiagram'];
  for (const key of [...shown].sort()) {
    const table = tables.get(key)!;
    const pk = new Set(table.primaryKey?.columns ?? []);
    const fkColumns = new Set(table.foreignKeys.flatMap((fk) => fk.columns));
    lines.push(`  ${display(key)} {`);
    for (const column of table.columns) {
      const keys = [pk.has(column.name) ? 'PK' : null, fkColumns.has(column.name) ? 'FK' : null].filter(Boolean).join(', ');
      lines.push(`    ${mermaidType(column.normalizedType)} ${entity(column.name)}${keys === '' ? '' : ` ${keys}`}`);
    }
    lines.push('  }');
  }
  for (const key of [...shown].sort()) {
    const table = tables.get(key)!;
    for (const fk of table.foreignKeys) {
      const target = `${fk.referencedSchema}.${fk.referencedTable}`;
      if (!shown.has(target)) continue;
      lines.push(`  ${display(target)} ||--o{ ${display(key)} : "${(fk.name ?? fk.columns.join(', ')).replace(/"/g, "'")}"`);
    }
  }
  return lines.join('\n');
}
