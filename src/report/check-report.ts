/**
 * What a check command found, in one shape every reporter reads: pretty terminal output,
 * JSON, JUnit XML, GitHub annotations, Markdown. A run holds suites (migrations, baseline,
 * lint…), a suite holds cases (one migration step, one rule finding…).
 */
export type CaseStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface SourceLocation {
  /** Path as given or relative to the working directory, as annotations want it. */
  readonly file: string;
  readonly line: number | null;
}

export interface CheckCase {
  readonly name: string;
  readonly status: CaseStatus;
  readonly durationMs: number;
  /** One line: why it failed, errored or was skipped. */
  readonly message: string | null;
  /** More lines: a diff, the statements involved. */
  readonly details: string | null;
  readonly location: SourceLocation | null;
  /** Severity for annotations of a failure; `warning` does not fail the run. */
  readonly severity: 'error' | 'warning' | 'notice';
}

export interface CheckSuite {
  readonly name: string;
  readonly cases: readonly CheckCase[];
}

export interface CheckRun {
  /** e.g. `migrate check` */
  readonly command: string;
  readonly suites: readonly CheckSuite[];
  readonly durationMs: number;
  /** Lines worth saying once: obsolete baselines, skipped features. */
  readonly notes: readonly string[];
}

export function runFailed(run: CheckRun): boolean {
  return run.suites.some((suite) => suite.cases.some((c) => (c.status === 'failed' || c.status === 'error') && c.severity === 'error'));
}

export function countCases(run: CheckRun): Record<CaseStatus, number> {
  const counts: Record<CaseStatus, number> = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const suite of run.suites) for (const c of suite.cases) counts[c.status] += 1;
  return counts;
}

export const checkCase = (fields: Partial<CheckCase> & Pick<CheckCase, 'name' | 'status'>): CheckCase => ({
  durationMs: 0,
  message: null,
  details: null,
  location: null,
  severity: 'error',
  ...fields,
});
