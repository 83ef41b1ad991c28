import type { Engine } from '../../dialects/engine.js';
import type { Change } from '../../diff/change.js';
import type { SqlStatement } from '../../migrations/migration.js';
import type { SchemaSnapshot } from '../../snapshot/model.js';

/**
 * Migration lint: the hazards a reviewer must see before merging. Three kinds of rules share
 * one shape:
 * - **diff rules** read the snapshot diff of one migration step (the same on every engine),
 * - **statement rules** read the statements as the engine's real parser sees them
 *   (libpg-query for PostgreSQL, node-sql-parser for MySQL/MariaDB),
 * - **trace rules** read what applying the statements did (locks taken, tables rewritten).
 */
export type LintSeverity = 'error' | 'warning' | 'info';

export interface LintRuleDocs {
  /** One sentence: what is wrong. */
  readonly summary: string;
  /** Why it hurts in production. */
  readonly why: string;
  /** The safer way, as a sentence; `examples` show it in SQL. */
  readonly instead: string;
  /**
   * Migrations that show the rule: docs/rules/<id>.md prints them, and the test suite runs
   * each on a real throwaway database of every engine it names.
   */
  readonly examples?: readonly RuleExample[];
}

/**
 * A migration the rule reports and the safe form it does not. Both start from `setup`,
 * applied first (every table it creates then gets one generated row, as in a real lint run).
 */
export interface RuleExample {
  /** The engines the example runs on; default: every engine of the rule. */
  readonly engines?: readonly Engine[];
  readonly setup: string;
  readonly bad: string;
  /** Every other rule the bad migration reports too (the test holds the set of rules exactly). */
  readonly alsoReports?: readonly string[];
  /** The documented safe form: the rule reports nothing on it. */
  readonly safe: string;
  /** False when the migrations run outside a transaction (CREATE INDEX CONCURRENTLY). */
  readonly transactional?: boolean;
  /**
   * Whether the safe form runs in a transaction, when not as `transactional` says: the safe
   * form of CONCURRENTLY in a transaction is the same statement outside one.
   */
  readonly safeTransactional?: boolean;
  /**
   * For a hazard of older servers only: the first version, per server product, on which the
   * bad migration is safe. On a newer server the rule must stay quiet about it.
   */
  readonly safeFrom?: Readonly<Partial<Record<'MySQL' | 'MariaDB' | 'PostgreSQL', string>>>;
}

/** What a rule found, before the engine adds file, line and severity. */
export interface FindingDraft {
  /** The object concerned, by qualified name (`public.orders.user_id`); null for a statement as a whole. */
  readonly object: string | null;
  /** One line, specific: `CREATE INDEX orders_user_idx on existing table public.orders blocks writes while it builds`. */
  readonly message: string;
  /** The statement the finding is about; null lets the engine pick the statement that touched `object`. */
  readonly statement: SqlStatement | null;
  /**
   * True when the object was created in this same migration: a new table has no rows to lock
   * or rewrite, so the engine downgrades the finding.
   */
  readonly onNewObject?: boolean;
  /** The table whose size makes this finding matter (for --table-sizes weighting). */
  readonly table?: string | null;
}

export interface Finding extends FindingDraft {
  readonly rule: string;
  readonly severity: LintSeverity;
  /** The migration file and line the finding is annotated on. */
  readonly file: string;
  readonly line: number | null;
  /** The safer way (the rule's docs.instead). */
  readonly instead: string;
}

/** One migration step, as the rules see it. */
export interface LintStep {
  readonly engine: Engine;
  /** Server version as the throwaway database reports it, e.g. `15.19`, `10.11.9`. */
  readonly serverVersion: string;
  readonly product: string;
  readonly file: string;
  readonly statements: readonly SqlStatement[];
  /** The schema before and after the step's up, and the changes between them. */
  readonly before: SchemaSnapshot;
  readonly after: SchemaSnapshot;
  readonly changes: readonly Change[];
  /** Qualified names of tables and other objects that did not exist before this step. */
  readonly createdHere: ReadonlySet<string>;
  /** Whether the migration runs in a transaction (so CONCURRENTLY cannot work). */
  readonly transactional: boolean;
}

/** What every rule declares, whatever it reads. */
export interface RuleBase {
  /** Kebab-case, stable: used in docs/rules/<id>.md, suppressions and config. */
  readonly id: string;
  readonly severity: LintSeverity;
  readonly engines: readonly Engine[];
  readonly docs: LintRuleDocs;
  /**
   * The severity when `--table-sizes` says the finding's table is large (default: `severity`,
   * the level a downgraded finding is raised back to).
   */
  readonly largeTableSeverity?: LintSeverity;
}

export interface DiffRule extends RuleBase {
  readonly kind: 'diff';
  check(step: LintStep): FindingDraft[];
}

/**
 * A statement parsed by the engine's own parser; `ast` is the parser's node for it, or null
 * when the parser could not read it (the statement still ran on the engine: rules skip it).
 */
export interface ParsedStatement {
  readonly statement: SqlStatement;
  readonly ast: unknown;
}

/**
 * The parse hook of one engine: every statement of a migration, in order, each with the node
 * its engine's parser gives (libpg-query for PostgreSQL, node-sql-parser for MySQL/MariaDB).
 * It never throws for SQL the parser cannot read: that statement gets `ast: null`. The lint
 * engine parses each migration once and hands the result to every statement rule, and uses
 * it to find the statement that touched an object a diff or trace finding is about.
 */
export type StatementParser = (statements: readonly SqlStatement[], step: Pick<LintStep, 'engine' | 'serverVersion' | 'product'>) => Promise<ParsedStatement[]>;

export interface StatementRule extends RuleBase {
  readonly kind: 'statement';
  check(step: LintStep, parsed: readonly ParsedStatement[]): FindingDraft[];
}

/** What applying one statement did, observed on a throwaway PostgreSQL database. */
export interface StatementTrace {
  readonly statement: SqlStatement;
  /** Locks held after the statement, by table: `AccessExclusiveLock` etc. */
  readonly locks: readonly { readonly table: string; readonly mode: string }[];
  /** Tables whose storage was rewritten (relfilenode changed). */
  readonly rewritten: readonly string[];
  /**
   * Rows in each table (qualified name) when the migration began; tables the migration
   * creates are absent.
   */
  readonly rowCounts: ReadonlyMap<string, number>;
  /** The error, when the statement failed. */
  readonly error: string | null;
}

export interface TraceRule extends RuleBase {
  readonly kind: 'trace';
  check(step: LintStep, traces: readonly StatementTrace[]): FindingDraft[];
}

/** A migration that did not apply on the throwaway database once its tables held rows. */
export interface ApplyFailure {
  /** The statement that failed, when the engine knows it (null for a Kysely module). */
  readonly statement: SqlStatement | null;
  /** The engine's error, one line, without the file name. */
  readonly message: string;
}

export interface ApplyRule extends RuleBase {
  readonly kind: 'apply';
  check(step: LintStep, failure: ApplyFailure): FindingDraft[];
}

export type LintRule = DiffRule | StatementRule | TraceRule | ApplyRule;
