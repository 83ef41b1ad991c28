import type { Engine } from '../dialects/engine.js';

/**
 * One statement of a generated migration (`schemaguard diff --format sql`), with what a
 * reviewer must know about it.
 */
export interface MigrationStatement {
  readonly sql: string;
  /**
   * Why the statement loses data or narrows a type (a DROP, a shorter varchar); null when it
   * does not. Destructive statements are written as comments unless --allow-destructive.
   */
  readonly destructive: string | null;
  /** Locks, rewrites, failures on existing rows: each becomes a `-- hazard:` comment. */
  readonly hazards: readonly string[];
}

export const statement = (sql: string, options: { destructive?: string | null; hazards?: readonly string[] } = {}): MigrationStatement => ({
  sql,
  destructive: options.destructive ?? null,
  hazards: options.hazards ?? [],
});

export interface MigrationScriptOptions {
  readonly allowDestructive: boolean;
  readonly engine: Engine;
  /** Printed at the top: what the script turns into what. */
  readonly header?: readonly string[];
}

/** The statements as a script a person reviews and then runs (psql, mysql, sqlite3). */
export function renderMigrationScript(statements: readonly MigrationStatement[], options: MigrationScriptOptions): string {
  const lines: string[] = [];
  for (const line of options.header ?? []) lines.push(`-- ${line}`);
  if (statements.length === 0) {
    lines.push('-- no differences: nothing to do');
    return `${lines.join('\n')}\n`;
  }
  const skipped = statements.filter((s) => s.destructive !== null && !options.allowDestructive).length;
  if (skipped > 0) {
    lines.push(`-- ${skipped} destructive statement${skipped === 1 ? ' is' : 's are'} commented out below; rerun with --allow-destructive to include ${skipped === 1 ? 'it' : 'them'}`);
  }
  if (lines.length > 0) lines.push('');
  for (const item of statements) {
    for (const hazard of item.hazards) lines.push(`-- hazard: ${hazard}`);
    const sql = item.sql.trimEnd().endsWith(';') ? item.sql.trimEnd() : `${item.sql.trimEnd()};`;
    if (item.destructive !== null && !options.allowDestructive) {
      lines.push(`-- skipped (destructive: ${item.destructive}):`);
      for (const line of sql.split('\n')) lines.push(`-- ${line}`);
    } else {
      if (item.destructive !== null) lines.push(`-- destructive: ${item.destructive}`);
      lines.push(sql);
    }
    lines.push('');
  }
  return lines.join('\n');
}
