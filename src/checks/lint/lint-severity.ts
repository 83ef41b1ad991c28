import type { FindingDraft, LintSeverity, RuleBase } from './lint-rule.js';
import type { TableSizes } from './table-sizes.js';

/**
 * How severe a finding ends up, in this order:
 * 1. the rule's severity, or the one the config gives it (`lint.rules`, `--rule ID=SEVERITY`);
 * 2. one level down when the object was created in the same migration (a new table has no
 *    rows to lock, rewrite or check): error → warning → info;
 * 3. with `--table-sizes`, by the production size of the finding's table: a large one (at
 *    least `largeTable` rows) raises the finding back to the rule's level (to its
 *    `largeTableSeverity` where it has one: a rewrite of a large table is an error); a smaller
 *    or empty one lowers it one level.
 */

export type SeveritySetting = LintSeverity | 'off';
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'info', 'off'];

const ORDER: readonly LintSeverity[] = ['info', 'warning', 'error'];

export const lower = (severity: LintSeverity): LintSeverity => ORDER[Math.max(0, ORDER.indexOf(severity) - 1)]!;
const atLeast = (severity: LintSeverity, floor: LintSeverity): LintSeverity => (ORDER.indexOf(severity) >= ORDER.indexOf(floor) ? severity : floor);

export interface SeverityContext {
  /** Severities the config sets, by rule id. */
  readonly overrides: Readonly<Record<string, SeveritySetting>>;
  readonly tableSizes: TableSizes | null;
  readonly largeTable: number;
}

export function configuredSeverity(rule: RuleBase, context: SeverityContext): SeveritySetting {
  return context.overrides[rule.id] ?? rule.severity;
}

/** The severity a finding is reported with; `isNew` says whether its object was created in the same migration. */
export function findingSeverity(rule: RuleBase, draft: FindingDraft, isNew: boolean, context: SeverityContext): LintSeverity {
  const configured = configuredSeverity(rule, context);
  const base: LintSeverity = configured === 'off' ? 'info' : configured;
  let severity = isNew ? lower(base) : base;
  const rows = draft.table == null || context.tableSizes === null ? undefined : context.tableSizes.rowsOf(draft.table);
  if (rows !== undefined) {
    if (rows >= context.largeTable) severity = atLeast(severity, context.overrides[rule.id] !== undefined ? base : (rule.largeTableSeverity ?? base));
    else severity = lower(severity);
  }
  return severity;
}
