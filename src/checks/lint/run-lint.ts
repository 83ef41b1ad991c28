import { readFile } from 'node:fs/promises';
import { messageOf } from '../../core/errors.js';
import { redact } from '../../core/secret.js';
import type { ScratchConnection } from '../../dialects/dialect.js';
import type { ServerInfo } from '../../dialects/engine.js';
import { countRows, emptyTables } from '../../dialects/postgres/postgres-lock-trace.js';
import { compareSnapshots, type DiffOptions } from '../../diff/diff-snapshots.js';
import type { Change } from '../../diff/change.js';
import { applyMigrationScript } from '../../migrations/apply-migration.js';
import type { Migration, MigrationSet, SqlStatement } from '../../migrations/migration.js';
import { createScratchDatabase } from '../../scratch/scratch-database.js';
import type { ScratchTarget } from '../../scratch/scratch-target.js';
import type { SchemaSnapshot, Table } from '../../snapshot/model.js';
import { qualifiedName } from '../../snapshot/names.js';
import { migrationLabel, type DataGuard, type ProgressSink } from '../migrations/migrate-check.js';
import { insertGeneratedRows } from './generated-rows.js';
import type { ApplyFailure, Finding, FindingDraft, LintRule, LintStep, ParsedStatement, StatementTrace } from './lint-rule.js';
import { configuredSeverity, findingSeverity, type SeverityContext } from './lint-severity.js';
import { StatementLocator } from './locate.js';
import { traceScript } from './lock-trace.js';
import { ALL_RULES } from './rules/all-rules.js';
import { readSuppressions, suppressionFor, type Suppression } from './suppressions.js';

/**
 * `migrate lint`: each checked migration is applied on a throwaway database whose tables hold
 * rows (the seed dataset, else one generated row per table), and the rules read three things
 * of it: the snapshot diff of the step, the statements as the engine's parser reads them, and
 * on PostgreSQL the lock trace (which locks each statement took, which tables it rewrote).
 */
export interface LintPlan {
  readonly set: MigrationSet;
  readonly scratch: ScratchTarget;
  readonly statementTimeoutMs: number;
  /** Migrations before this index are applied without lint, to reach the base schema. */
  readonly firstChecked: number;
  readonly severities: SeverityContext;
  /** Seed rows; null: one generated row in every table. */
  readonly data: DataGuard | null;
  readonly diff: DiffOptions;
}

/** A finding a `-- schemaguard:ignore` comment accepted. */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly reason: string;
}

/** What lint found in one migration. */
export interface MigrationLint {
  readonly migration: Migration;
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly durationMs: number;
}

export interface LintResult {
  /** The throwaway database's server: version-dependent rules read it. */
  readonly server: ServerInfo;
  readonly migrations: readonly MigrationLint[];
  /** Lines worth saying once: tables left without rows, migrations not linted. */
  readonly notes: readonly string[];
}

const now = () => performance.now();

export async function runLint(plan: LintPlan, progress: ProgressSink): Promise<LintResult> {
  const notes: string[] = [];
  const results: MigrationLint[] = [];
  const rules = ALL_RULES.filter((rule) => rule.engines.includes(plan.set.dialect) && configuredSeverity(rule, plan.severities) !== 'off');
  progress.step('creating a throwaway database for lint…');
  const scratch = await createScratchDatabase(plan.scratch, { statementTimeoutMs: plan.statementTimeoutMs });
  const server = scratch.connection.server;
  try {
    const connection = scratch.connection;
    const migrations = plan.set.migrations;
    for (const migration of migrations.slice(0, plan.firstChecked)) {
      progress.step(`applying ${migrationLabel(migration)}…`);
      await applyMigrationScript(connection, migration.up);
    }
    let before = await connection.captureSchema({ schemas: [] });
    let seeded = false;
    /** Tables that got rows already (or could not take one). */
    const filled = new Set<string>();
    for (const [offset, migration] of migrations.slice(plan.firstChecked).entries()) {
      const label = migrationLabel(migration);
      if (plan.data !== null) {
        if (!seeded && plan.data.readyIn(before)) {
          progress.step(`loading seed data ${plan.data.describe}…`);
          await plan.data.seed(connection);
          seeded = true;
        }
      } else {
        await fillNewTables(connection, before, filled, notes);
      }
      progress.step(`linting ${label}…`);
      const started = now();
      const outcome = await lintMigration(connection, migration, before, rules, plan);
      results.push({ migration, findings: outcome.findings, suppressed: outcome.suppressed, durationMs: now() - started });
      if (outcome.after === null) {
        const rest = migrations.length - plan.firstChecked - offset - 1;
        if (rest > 0) notes.push(`${rest} migration${rest === 1 ? '' : 's'} after ${label} not linted: it does not apply, and they build on it`);
        break;
      }
      // Tables emptied to get past a migration that failed on their rows get a row again.
      if (outcome.emptied) filled.clear();
      before = outcome.after;
    }
  } finally {
    await scratch.dispose();
  }
  return { server, migrations: results, notes };
}

/** One generated row in each table that has none yet, so locks and failures show as on a live database. */
async function fillNewTables(connection: ScratchConnection, schema: SchemaSnapshot, filled: Set<string>, notes: string[]): Promise<void> {
  const name = (table: Table) => qualifiedName(connection.engine, table.schema, table.name);
  const fresh = schema.tables.filter((table) => !filled.has(name(table)));
  if (fresh.length === 0) return;
  for (const table of fresh) filled.add(name(table));
  const rows = await insertGeneratedRows(connection, schema, fresh, filled.size);
  for (const failed of rows.failed) notes.push(`${failed.table} was linted without rows: a generated row did not fit (${failed.reason})`);
}

interface MigrationOutcome {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
  /** The schema after the up, or null when it did not apply. */
  readonly after: SchemaSnapshot | null;
  /** True when the tables were emptied to apply the migration (it failed on their rows). */
  readonly emptied: boolean;
}

async function lintMigration(connection: ScratchConnection, migration: Migration, before: SchemaSnapshot, rules: readonly LintRule[], plan: LintPlan): Promise<MigrationOutcome> {
  const script = migration.up;
  const statements = script.kind === 'sql' ? script.statements : [];
  const engine = connection.engine;
  let traces: readonly StatementTrace[] | null = null;
  let failure: ApplyFailure | null = null;
  let emptied = false;

  if (script.kind === 'sql' && engine === 'postgres') {
    const rowCounts = await countRows(connection.db, before.tables.filter((t) => t.partitioning === null));
    const traced = await traceScript(connection, script, rowCounts);
    traces = traced.traces;
    if (traced.failure !== null) {
      // The rows made it fail (aborted-transaction says so): the rest of the folder is linted on
      // the schema the migration gives an empty database, when it gives one.
      emptied = traced.mode === 'wrapped' && (await applyOnEmptyTables(connection, script, before));
      if (!emptied) failure = { statement: traced.failure.statement, message: traced.failure.message };
    }
  } else {
    try {
      await applyMigrationScript(connection, script, { statementTimeoutMs: plan.statementTimeoutMs });
    } catch (error) {
      failure = applyFailure(error, script.file.display, statements);
    }
  }

  const after = failure === null ? await connection.captureSchema({ schemas: [] }) : null;
  const changes: readonly Change[] = after === null ? [] : compareSnapshots(before, after, plan.diff).changes;
  const step: LintStep = {
    engine,
    serverVersion: connection.server.version,
    product: connection.server.product,
    file: script.file.display,
    statements,
    before,
    after: after ?? before,
    changes,
    createdHere: createdIn(changes),
    transactional: script.kind === 'sql' ? script.transactional : true,
  };
  const parsed = await parse(statements, step);
  const drafts: { rule: LintRule; draft: FindingDraft }[] = [];
  for (const rule of rules) {
    const found = draftsOf(rule, step, parsed, traces, failure);
    drafts.push(...found.map((draft) => ({ rule, draft })));
  }
  const { findings, suppressed } = place(drafts, step, parsed, script.kind === 'sql' ? await suppressionsOf(script) : [], plan.severities);
  return { findings, suppressed, after, emptied };
}

function draftsOf(rule: LintRule, step: LintStep, parsed: readonly ParsedStatement[], traces: readonly StatementTrace[] | null, failure: ApplyFailure | null): FindingDraft[] {
  switch (rule.kind) {
    case 'diff':
      return failure === null ? rule.check(step) : [];
    case 'statement':
      return rule.check(step, parsed);
    case 'trace':
      return traces === null ? [] : rule.check(step, traces);
    case 'apply':
      // Under the lock trace a failure is the trace rules' to report.
      return failure === null || traces !== null ? [] : rule.check(step, failure);
  }
}

/**
 * A wrapped PostgreSQL migration that failed on rows was rolled back: empty the tables and
 * apply it again, so the migrations after it are linted on the schema it gives.
 */
async function applyOnEmptyTables(connection: ScratchConnection, script: Extract<Migration['up'], { kind: 'sql' }>, before: SchemaSnapshot): Promise<boolean> {
  try {
    await emptyTables(connection.db, before.tables);
    await applyMigrationScript(connection, script);
    return true;
  } catch {
    return false;
  }
}

/**
 * The failure of an apply error (`migrations/0002_x.up.sql:12: message`): the statement holding
 * the line it names, and the message without the place.
 */
function applyFailure(error: unknown, file: string, statements: readonly SqlStatement[]): ApplyFailure {
  const text = redact(messageOf(error)).split('\n')[0]!;
  const rest = text.startsWith(`${file}:`) ? text.slice(file.length + 1) : null;
  const colon = rest === null ? -1 : rest.indexOf(': ');
  const line = colon < 0 ? Number.NaN : Number(rest!.slice(0, colon));
  if (!Number.isInteger(line)) return { statement: null, message: rest === null ? text : rest.replace(/^ /, '') };
  const statement = statements.filter((s) => s.line <= line).at(-1) ?? null;
  return { statement, message: rest!.slice(colon + 2) };
}

/**
 * The suppressions of a SQL script, read from its whole file: statement lines are file lines,
 * and a script may be one section of its file (dbmate, goose, Flyway callbacks).
 */
async function suppressionsOf(script: Extract<Migration['up'], { kind: 'sql' }>): Promise<Suppression[]> {
  try {
    return readSuppressions(await readFile(script.file.path, 'utf8'));
  } catch {
    return readSuppressions(script.text);
  }
}

/** Qualified names of every object the step added (renamed ones existed before under another name). */
function createdIn(changes: readonly Change[]): ReadonlySet<string> {
  return new Set(changes.filter((c) => c.action === 'added').map((c) => c.name));
}

async function parse(statements: readonly SqlStatement[], step: LintStep): Promise<ParsedStatement[]> {
  switch (step.engine) {
    case 'postgres': {
      const { parseStatements } = await import('./parse-postgres.js');
      return parseStatements(statements);
    }
    case 'mysql': {
      const { parseStatements } = await import('./parse-mysql.js');
      return parseStatements(statements, step.product);
    }
    case 'sqlite':
      return statements.map((statement) => ({ statement, ast: null }));
  }
}

/** Gives each draft its statement, file, line and severity, and sets aside the suppressed ones. */
function place(
  drafts: readonly { rule: LintRule; draft: FindingDraft }[],
  step: LintStep,
  parsed: readonly ParsedStatement[],
  suppressions: readonly Suppression[],
  severities: SeverityContext,
): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const locator = new StatementLocator(parsed, step.engine);
  const namespaces = new Set([...step.before.namespaces, ...step.after.namespaces].map((n) => n.name.toLowerCase()));
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const seen = new Set<string>();
  for (const { rule, draft } of drafts) {
    const statement = draft.statement ?? locator.locate(draft.object, namespaces);
    const line = statement?.line ?? null;
    const key = `${rule.id}\u0000${draft.object ?? ''}\u0000${line ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const isNew = draft.onNewObject ?? (draft.table != null && step.createdHere.has(draft.table));
    const suppression = suppressionFor(suppressions, rule.id, line);
    const finding: Finding = {
      ...draft,
      statement,
      rule: rule.id,
      severity: findingSeverity(rule, draft, isNew, severities),
      file: step.file,
      line,
      instead: rule.docs.instead,
    };
    if (suppression !== undefined && suppression.reason !== '') suppressed.push({ finding, reason: suppression.reason });
    else if (suppression !== undefined) findings.push({ ...finding, message: `${finding.message} (the schemaguard:ignore on line ${suppression.line} gives no reason, so it does not count)` });
    else findings.push(finding);
  }
  return { findings, suppressed };
}
