/**
 * `-- schemaguard:ignore RULE-ID[,RULE-ID…] reason`: a reviewer's decision that a finding is
 * accepted, written beside the statement — on its first line or on the line just before it.
 * The reason is required (a suppression without one is itself reported): it is what the next
 * reader of the migration needs.
 */

export const SUPPRESSION_MARKER = '-- schemaguard:ignore';

export interface Suppression {
  /** 1-based line of the directive in the migration file. */
  readonly line: number;
  readonly rules: readonly string[];
  /** Empty when none is given. */
  readonly reason: string;
}

/** Every directive of a migration file, in line order. */
export function readSuppressions(text: string): Suppression[] {
  const suppressions: Suppression[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    const at = line.indexOf(SUPPRESSION_MARKER);
    if (at < 0) continue;
    const words = line
      .slice(at + SUPPRESSION_MARKER.length)
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '');
    // `a,b reason`, `a, b reason`: ids run on while a word ends with a comma.
    let ids = words.shift() ?? '';
    while (ids.endsWith(',') && words.length > 0) ids += words.shift();
    const rules = ids.split(',').filter((id) => id !== '');
    suppressions.push({ line: index + 1, rules, reason: words.join(' ') });
  }
  return suppressions;
}

/** The suppression that covers `rule` at a statement starting on `line`, if any. */
export function suppressionFor(suppressions: readonly Suppression[], rule: string, line: number | null): Suppression | undefined {
  if (line === null) return undefined;
  return suppressions.find((s) => (s.line === line || s.line === line - 1) && s.rules.includes(rule));
}
