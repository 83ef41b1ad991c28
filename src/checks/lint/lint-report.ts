import { checkCase, type CheckCase, type CheckSuite } from '../../report/check-report.js';
import { migrationLabel } from '../migrations/migrate-check.js';
import type { Finding, LintSeverity } from './lint-rule.js';
import type { LintResult } from './run-lint.js';

/**
 * Lint findings as check cases, so that every reporter shows them: one case per finding
 * (failed; an error fails the run, a warning or info does not), one skipped case per
 * suppressed finding with its reason, and one passed case for a migration with nothing found.
 */

const ANNOTATION: Readonly<Record<LintSeverity, CheckCase['severity']>> = { error: 'error', warning: 'warning', info: 'notice' };

const caseName = (label: string, finding: Finding) => `${label}: ${finding.rule}${finding.object === null ? '' : ` ${finding.object}`}`;

function details(finding: Finding): string {
  const lines = [`instead: ${finding.instead}`, `docs: docs/rules/${finding.rule}.md`];
  if (finding.statement !== null) lines.unshift(`statement: ${oneLine(finding.statement.text)}`);
  return lines.join('\n');
}

const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}…` : flat;
};

export function lintSuite(result: LintResult): CheckSuite {
  const cases: CheckCase[] = [];
  for (const lint of result.migrations) {
    const label = migrationLabel(lint.migration);
    for (const finding of lint.findings) {
      cases.push(
        checkCase({
          name: caseName(label, finding),
          status: 'failed',
          severity: ANNOTATION[finding.severity],
          message: `${finding.severity} ${finding.rule}: ${finding.message}`,
          details: details(finding),
          location: { file: finding.file, line: finding.line },
        }),
      );
    }
    for (const { finding, reason } of lint.suppressed) {
      cases.push(checkCase({ name: caseName(label, finding), status: 'skipped', message: `suppressed: ${reason}`, location: { file: finding.file, line: finding.line } }));
    }
    if (lint.findings.length === 0) {
      cases.push(checkCase({ name: `${label}: lint`, status: 'passed', durationMs: lint.durationMs, location: { file: lint.migration.up.file.display, line: null } }));
    }
  }
  return { name: 'lint', cases };
}
