import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding, LintSeverity } from '../../src/checks/lint/lint-rule.js';
import type { SeveritySetting } from '../../src/checks/lint/lint-severity.js';
import { runLint, type LintResult } from '../../src/checks/lint/run-lint.js';
import type { TableSizes } from '../../src/checks/lint/table-sizes.js';
import { DEFAULT_LARGE_TABLE } from '../../src/checks/lint/table-sizes.js';
import type { Engine } from '../../src/dialects/engine.js';
import { readMigrationSet } from '../../src/migrations/read-migrations.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';

/**
 * Lints one migration on a real throwaway database: `setup` (if any) builds the schema the
 * migration starts from (a migration of its own, applied without lint; every table then gets
 * one generated row), `migration` is linted. Both are written to a temporary golang-migrate
 * folder (`0001_setup.up.sql`, `0002_change.up.sql`), so lines are the file's lines.
 */
export interface LintSqlOptions {
  readonly engine: Engine;
  readonly scratch: ScratchTarget;
  readonly setup?: string;
  readonly migration: string;
  /** False marks the migration to run outside a transaction (a goose `-- +goose NO TRANSACTION` file). */
  readonly transactional?: boolean;
  readonly overrides?: Readonly<Record<string, SeveritySetting>>;
  readonly tableSizes?: TableSizes | null;
  readonly largeTable?: number;
}

/** A finding reduced to what tests compare. */
export interface FoundRule {
  readonly rule: string;
  readonly severity: LintSeverity;
  readonly object: string | null;
  readonly line: number | null;
  readonly message: string;
}

export interface LintSqlResult {
  readonly findings: readonly FoundRule[];
  readonly suppressed: readonly { readonly rule: string; readonly reason: string }[];
  readonly notes: readonly string[];
  readonly raw: LintResult;
}

const found = (f: Finding): FoundRule => ({ rule: f.rule, severity: f.severity, object: f.object, line: f.line, message: f.message });

export async function lintSql(options: LintSqlOptions): Promise<LintSqlResult> {
  const dir = mkdtempSync(join(tmpdir(), 'schemaguard-lint-'));
  try {
    const transactional = options.transactional ?? true;
    // goose marks a migration that must run outside a transaction; golang-migrate has no marker.
    if (transactional) {
      writeFileSync(join(dir, '0001_setup.up.sql'), options.setup ?? '');
      writeFileSync(join(dir, '0002_change.up.sql'), options.migration);
    } else {
      writeFileSync(join(dir, '00001_setup.sql'), `-- +goose Up\n${options.setup ?? ''}\n`);
      writeFileSync(join(dir, '00002_change.sql'), `-- +goose NO TRANSACTION\n-- +goose Up\n${options.migration}\n`);
    }
    const set = await readMigrationSet(dir, { dialect: options.engine, format: transactional ? 'golang-migrate' : 'goose' });
    const raw = await runLint(
      {
        set,
        scratch: options.scratch,
        statementTimeoutMs: 60_000,
        firstChecked: 1,
        severities: { overrides: options.overrides ?? {}, tableSizes: options.tableSizes ?? null, largeTable: options.largeTable ?? DEFAULT_LARGE_TABLE },
        data: null,
        diff: {},
      },
      { step: () => {} },
    );
    const lint = raw.migrations[0];
    return {
      findings: lint?.findings.map(found) ?? [],
      suppressed: lint?.suppressed.map((s) => ({ rule: s.finding.rule, reason: s.reason })) ?? [],
      notes: raw.notes,
      raw,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rule ids of the findings, sorted and without repeats. */
export const ruleIds = (result: LintSqlResult): string[] => [...new Set(result.findings.map((f) => f.rule))].sort();
