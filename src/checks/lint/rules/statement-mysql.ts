import type { SqlStatement } from '../../../migrations/migration.js';
import type { Token } from '../../../migrations/sql-lexer.js';
import { DATABASE_NAMESPACE, type Column, type Table } from '../../../snapshot/model.js';
import type { FindingDraft, LintRuleDocs, LintSeverity, LintStep, ParsedStatement, StatementRule } from '../lint-rule.js';
import { identifierOf, keywordOf, statementTokens } from '../parse-mysql.js';
import { compareEnumValues, mysqlEnumValues, typeShape } from './column-types.js';
import { versionAtLeast } from '../../../core/version.js';
import { tableRef, type TableRef } from './statement-support.js';
import { findTable } from './step-objects.js';

/**
 * MySQL and MariaDB statement rules: what InnoDB's online DDL does with the statements of a
 * migration, read from node-sql-parser's AST (and, for the few statements it has no grammar
 * for, from the MySQL lexer's tokens). Each rule is documented in docs/rules/<id>.md.
 *
 * Column rules compare the column as the snapshot before the step shows it with the column as
 * the snapshot after it shows it: the server's own spelling of the type is what decides
 * whether InnoDB can keep the rows.
 *
 * Findings about locks and table copies on a table the migration created set `onNewObject`:
 * a new table has no rows and no other sessions to block, and the engine downgrades them.
 */

function rule(id: string, severity: LintSeverity, docs: LintRuleDocs, check: (step: LintStep, parsed: readonly ParsedStatement[]) => FindingDraft[]): StatementRule {
  return Object.freeze({
    kind: 'statement' as const,
    id,
    severity,
    engines: ['mysql'] as const,
    docs: Object.freeze(docs),
    check: (step: LintStep, parsed: readonly ParsedStatement[]) => (step.engine === 'mysql' ? check(step, parsed) : []),
  });
}

/** A finding about `table`, downgraded by the engine when the migration created the table. */
function onTable(table: TableRef, statement: SqlStatement, message: string, object: string = table.qualified): FindingDraft {
  return { object, message, statement, onNewObject: table.isNew, table: table.qualified };
}

const existingOrNew = (table: TableRef): string => (table.isNew ? `table ${table.qualified} (created in this migration)` : `existing table ${table.qualified}`);

const isMariaDb = (step: LintStep): boolean => step.product === 'MariaDB';

// ---------------------------------------------------------------------------------------------
// node-sql-parser's AST, as far as the rules read it (its published types are loose)

interface TableName {
  readonly db?: string | null;
  readonly table?: unknown;
}

interface ColumnRef {
  readonly column?: unknown;
}

/** One comma-separated part of ALTER TABLE: `ADD COLUMN …`, `MODIFY …`, `ALGORITHM=INPLACE`. */
interface AlterExpression {
  /** `add`, `modify`, `change`, `drop`, `rename`; absent for ALGORITHM and LOCK. */
  readonly action?: string;
  /** `column`, `index`, `constraint`, `key`, `algorithm`, `lock`, `table`. */
  readonly resource?: string;
  /** `COLUMN`, `index`, `key`, `fulltext index`, `spatial index`, `primary key`… */
  readonly keyword?: string | null;
  readonly column?: ColumnRef;
  readonly old_column?: ColumnRef;
  /** `FIRST`, or `AFTER` with the column in `expr`. */
  readonly suffix?: { readonly keyword?: string; readonly expr?: ColumnRef } | null;
  readonly index?: string | null;
  readonly create_definitions?: { readonly constraint_type?: string; readonly index?: string | null; readonly constraint?: string | null };
  readonly algorithm?: string;
  readonly lock?: string;
}

interface AlterNode {
  readonly type: 'alter';
  readonly table?: readonly TableName[];
  readonly expr?: readonly AlterExpression[];
}

interface CreateIndexNode {
  readonly type: 'create';
  readonly keyword: 'index';
  /** null, `unique`, `fulltext`, `spatial`. */
  readonly index_type?: string | null;
  readonly index?: string | null;
  readonly table?: TableName;
  readonly algorithm_option?: { readonly algorithm?: string } | null;
  readonly lock_option?: { readonly lock?: string } | null;
}

interface TruncateNode {
  readonly type: 'truncate';
  readonly name?: readonly TableName[];
}

interface LockTablesNode {
  readonly type: 'lock';
  readonly tables?: readonly { readonly table?: TableName; readonly lock_type?: { readonly type?: string } }[];
}

interface DropNode {
  readonly type: 'drop';
  readonly keyword?: string;
  readonly name?: unknown;
}

interface SetAssignment {
  /** `foreign_key_checks`; `@@session.foreign_key_checks` is `{ name: 'session', members: ['foreign_key_checks'], prefix: '@@' }`. */
  readonly left?: { readonly name?: string; readonly members?: readonly string[]; readonly prefix?: string | null };
  readonly right?: { readonly type?: string; readonly value?: unknown; readonly column?: unknown };
}

interface SetNode {
  readonly type: 'set';
  /** `GLOBAL`, `SESSION`, `LOCAL` or null. */
  readonly keyword?: string | null;
  readonly expr?: readonly SetAssignment[];
}

function nodeOf<T extends { readonly type: string }>(ast: unknown, type: T['type']): T | null {
  return ast !== null && typeof ast === 'object' && (ast as { type?: unknown }).type === type ? (ast as T) : null;
}

/** A name as node-sql-parser gives it: a string, or `{ expr: { value } }` in some positions. */
function nameText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  const inner = (value as { expr?: { value?: unknown } } | null)?.expr?.value;
  return typeof inner === 'string' ? inner : null;
}

const upper = (text: string | null | undefined): string => (text ?? '').toUpperCase();

/**
 * Places a table a statement names. A `db.` qualifier is not compared with the database
 * name (the snapshot never holds it): the table is looked up by its name.
 */
function placeTable(step: LintStep, name: TableName | undefined): TableRef | null {
  const table = nameText(name?.table);
  return table === null ? null : tableRef(step, null, table, DATABASE_NAMESPACE);
}

// ---------------------------------------------------------------------------------------------
// ALTER TABLE, read from the AST or, when node-sql-parser cannot read it, from the tokens

interface AlterTable {
  readonly statement: SqlStatement;
  readonly table: TableRef;
  /** node-sql-parser's alter expressions; empty when only the tokens could be read. */
  readonly expressions: readonly AlterExpression[];
  /** ALGORITHM=…, upper case; null when not stated. */
  readonly algorithm: string | null;
  /** LOCK=…, upper case; null when not stated. */
  readonly lock: string | null;
  /** The character set of CONVERT TO CHARACTER SET; null when the statement has none. */
  readonly convertTo: string | null;
  readonly dropsPrimaryKey: boolean;
  readonly addsPrimaryKey: boolean;
}

function alterTables(step: LintStep, parsed: readonly ParsedStatement[]): AlterTable[] {
  return parsed.flatMap(({ statement, ast }) => {
    const alter = ast === null ? alterFromTokens(step, statement) : alterFromAst(step, statement, nodeOf<AlterNode>(ast, 'alter'));
    return alter === null ? [] : [alter];
  });
}

function alterFromAst(step: LintStep, statement: SqlStatement, node: AlterNode | null): AlterTable | null {
  const table = node === null ? null : placeTable(step, node.table?.[0]);
  if (node === null || table === null) return null;
  const expressions = node.expr ?? [];
  const option = (resource: 'algorithm' | 'lock'): string | null => {
    const found = expressions.find((e) => e.resource === resource);
    return found === undefined ? null : upper(found[resource]);
  };
  return {
    statement,
    table,
    expressions,
    algorithm: option('algorithm'),
    lock: option('lock'),
    convertTo: null,
    dropsPrimaryKey: expressions.some((e) => e.action === 'drop' && upper(e.keyword) === 'PRIMARY KEY'),
    addsPrimaryKey: expressions.some((e) => e.action === 'add' && upper(e.create_definitions?.constraint_type) === 'PRIMARY KEY'),
  };
}

/**
 * ALTER [ONLINE] [IGNORE] TABLE [IF EXISTS] name clause, clause, …: the clauses node-sql-parser
 * has no grammar for (CONVERT TO CHARACTER SET, FORCE, ALTER COLUMN … SET DEFAULT) make it
 * give up on the whole statement, so the facts the rules need are read from the tokens.
 */
function alterFromTokens(step: LintStep, statement: SqlStatement): AlterTable | null {
  const tokens = statementTokens(statement);
  let at = 0;
  if (keywordOf(tokens[at]) !== 'ALTER') return null;
  at += 1;
  while (keywordOf(tokens[at]) === 'ONLINE' || keywordOf(tokens[at]) === 'IGNORE') at += 1;
  if (keywordOf(tokens[at]) !== 'TABLE') return null;
  at += 1;
  // MariaDB: ALTER TABLE IF EXISTS name.
  if (keywordOf(tokens[at]) === 'IF' && keywordOf(tokens[at + 1]) === 'EXISTS') at += 2;
  let name = identifierOf(tokens[at]);
  at += 1;
  if (tokens[at]?.kind === 'symbol' && tokens[at]!.text === '.') {
    name = identifierOf(tokens[at + 1]);
    at += 2;
  }
  if (name === null) return null;
  const clauses = splitClauses(tokens.slice(at));
  const words = clauses.map((clause) => clause.map((token) => keywordOf(token) ?? token.text.toUpperCase()));
  const option = (keyword: string): string | null => {
    const clause = words.find((w) => w[0] === keyword);
    if (clause === undefined) return null;
    return (clause[1] === '=' ? clause[2] : clause[1]) ?? null;
  };
  return {
    statement,
    table: tableRef(step, null, name, DATABASE_NAMESPACE),
    expressions: [],
    algorithm: option('ALGORITHM'),
    lock: option('LOCK'),
    convertTo: clauses.map(convertTarget).find((target) => target !== null) ?? null,
    dropsPrimaryKey: words.some((w) => w[0] === 'DROP' && w[1] === 'PRIMARY' && w[2] === 'KEY'),
    addsPrimaryKey: words.some(addsPrimaryKeyClause),
  };
}

/** The character set of a `CONVERT TO CHARACTER SET x` (or `CONVERT TO CHARSET x`) clause, else null. */
function convertTarget(clause: readonly Token[]): string | null {
  if (keywordOf(clause[0]) !== 'CONVERT' || keywordOf(clause[1]) !== 'TO') return null;
  let at = 2;
  if (keywordOf(clause[at]) === 'CHARSET') at += 1;
  else if (keywordOf(clause[at]) === 'CHARACTER' && keywordOf(clause[at + 1]) === 'SET') at += 2;
  else return null;
  return identifierOf(clause[at]) ?? clause[at]?.text ?? null;
}

/** ADD PRIMARY KEY, ADD CONSTRAINT PRIMARY KEY, ADD CONSTRAINT name PRIMARY KEY (clause words, upper case). */
function addsPrimaryKeyClause(words: readonly string[]): boolean {
  if (words[0] !== 'ADD') return false;
  let at = 1;
  if (words[at] === 'CONSTRAINT') at += words[at + 1] === 'PRIMARY' ? 1 : 2;
  return words[at] === 'PRIMARY' && words[at + 1] === 'KEY';
}

/** Tokens cut at the commas outside parentheses. */
function splitClauses(tokens: readonly Token[]): Token[][] {
  const clauses: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'symbol' && token.text === '(') depth += 1;
    if (token.kind === 'symbol' && token.text === ')') depth -= 1;
    if (depth === 0 && token.kind === 'symbol' && token.text === ',') clauses.push([]);
    else clauses.at(-1)!.push(token);
  }
  return clauses.filter((clause) => clause.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Column changes: MODIFY and CHANGE, with the column before and after the step

interface ColumnChange {
  readonly alter: AlterTable;
  readonly before: Column;
  readonly after: Column;
  /** `orders.status`, by the name the column has after the step. */
  readonly object: string;
  /** `MODIFY` or `CHANGE`. */
  readonly verb: string;
}

/** Column names are case-insensitive in MySQL. */
function findColumn(table: Table | undefined, name: string): Column | undefined {
  return table?.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

function columnChanges(step: LintStep, parsed: readonly ParsedStatement[]): ColumnChange[] {
  return alterTables(step, parsed).flatMap((alter) => {
    const { table } = alter;
    if (table.isNew || table.before === null) return [];
    const afterTable = findTable(step.after, table.schema, table.name);
    return alter.expressions.flatMap((expression): ColumnChange[] => {
      if (expression.resource !== 'column' || (expression.action !== 'modify' && expression.action !== 'change')) return [];
      const to = nameText(expression.column?.column);
      const from = expression.action === 'change' ? nameText(expression.old_column?.column) : to;
      if (to === null || from === null) return [];
      const before = findColumn(table.before!, from);
      const after = findColumn(afterTable, to);
      if (before === undefined || after === undefined) return [];
      return [{ alter, before, after, object: `${table.qualified}.${after.name}`, verb: upper(expression.action) }];
    });
  });
}

/** An ENUM or SET column type: its kind and members. */
interface MemberList {
  readonly kind: 'ENUM' | 'SET';
  readonly values: readonly string[];
}

function memberList(type: string): MemberList | null {
  const text = type.trim().toLowerCase();
  if (text.startsWith('enum(')) return { kind: 'ENUM', values: mysqlEnumValues(type) ?? [] };
  // A SET's member list is written exactly like an ENUM's: read it with the same reader.
  if (text.startsWith('set(')) return { kind: 'SET', values: mysqlEnumValues(`enum${type.trim().slice(3)}`) ?? [] };
  return null;
}

/** Bytes InnoDB stores an ENUM or SET value in: 1 or 2 for ENUM, 1–4 or 8 for SET. */
function storedBytes(list: MemberList): number {
  if (list.kind === 'ENUM') return list.values.length <= 255 ? 1 : 2;
  const bytes = Math.ceil(list.values.length / 8);
  return bytes > 4 ? 8 : bytes;
}

const quoted = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/** Why a new member list renumbers the stored values, or null when it only appends. */
function renumbering(before: MemberList, after: MemberList): string | null {
  const compared = compareEnumValues(before.values, after.values);
  if (compared.removed.length > 0) return `removes ${quoted(compared.removed)}`;
  if (compared.reordered) return 'reorders the existing values';
  if (!compared.appendedOnly) {
    const kept = new Set(before.values);
    return `inserts ${quoted(after.values.filter((v) => !kept.has(v)))} before existing values`;
  }
  if (storedBytes(after) !== storedBytes(before)) return `grows to ${after.values.length} values, which widens the stored number from ${storedBytes(before)} to ${storedBytes(after)} bytes`;
  return null;
}

/** A catalog type split into its name, numbers and attributes: `int(10) unsigned` → int, [10], `unsigned`. */
interface NativeType {
  readonly base: string;
  readonly args: readonly number[];
  readonly attributes: string;
}

function nativeType(type: string): NativeType {
  const [head = '', ...attributes] = type.trim().toLowerCase().split(' ');
  const shape = typeShape(head);
  return { base: shape.base, args: shape.args, attributes: attributes.join(' ') };
}

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);

/** Same type, ignoring an integer's display width (`int(10)` and `int(11)` store the same). */
function sameNativeType(a: NativeType, b: NativeType): boolean {
  if (a.base !== b.base || a.attributes !== b.attributes) return false;
  if (INTEGER_TYPES.has(a.base)) return true;
  return a.args.length === b.args.length && a.args.every((arg, i) => arg === b.args[i]);
}

/** The most bytes one character takes in a character set (mbmaxlen). */
const BYTES_PER_CHARACTER: Readonly<Record<string, number>> = {
  utf8mb4: 4,
  utf8mb3: 3,
  utf8: 3,
  utf16: 4,
  utf16le: 4,
  utf32: 4,
  ucs2: 2,
  gb18030: 4,
  ujis: 3,
  eucjpms: 3,
  big5: 2,
  gbk: 2,
  gb2312: 2,
  sjis: 2,
  cp932: 2,
  euckr: 2,
};

/** Bytes a VARCHAR or VARBINARY of `length` characters holds at most: what sizes its length prefix. */
function maximumBytes(type: NativeType, charset: string | null, table: Table | null): number {
  const length = type.args[0] ?? 0;
  if (type.base === 'varbinary') return length;
  // The catalog gives every text column its character set; utf8mb4 (MySQL 8's default) is only a fallback.
  const set = (charset ?? table?.options['charset'] ?? 'utf8mb4').toLowerCase();
  return length * (BYTES_PER_CHARACTER[set] ?? 1);
}

const isUtf8mb3 = (charset: string | null): boolean => charset === 'utf8mb3' || charset === 'utf8';

/**
 * True when InnoDB keeps the rows of a VARCHAR (or VARBINARY) through the change: it grows,
 * and its length prefix keeps its size (1 byte up to 255 bytes, 2 bytes from 256). MariaDB
 * 10.4.3+ also grows a VARCHAR of at most 127 bytes to any length (its 1-byte lengths stay
 * valid in the 2-byte format) and re-labels utf8mb3 as utf8mb4 (MDEV-15563, MDEV-15564).
 */
function keepsRowsInPlace(step: LintStep, change: ColumnChange): boolean {
  const a = nativeType(change.before.type);
  const b = nativeType(change.after.type);
  if (a.base !== b.base || (a.base !== 'varchar' && a.base !== 'varbinary') || a.attributes !== b.attributes) return false;
  const mariaDb104 = isMariaDb(step) && versionAtLeast(step.serverVersion, '10.4.3');
  const sameCharset = change.before.charset === change.after.charset;
  const widenedCharset = mariaDb104 && isUtf8mb3(change.before.charset) && change.after.charset === 'utf8mb4';
  if (!sameCharset && !widenedCharset) return false;
  if ((b.args[0] ?? 0) < (a.args[0] ?? 0)) return false;
  const oldBytes = maximumBytes(a, change.before.charset, change.alter.table.before);
  const newBytes = maximumBytes(b, change.after.charset, change.alter.table.before);
  if (oldBytes >= 256 || newBytes <= 255) return true;
  return mariaDb104 && oldBytes <= 127;
}

function describeType(column: Column): string {
  return column.charset === null ? column.type : `${column.type} CHARACTER SET ${column.charset}`;
}

// ---------------------------------------------------------------------------------------------
// Column rules

const enumSetChanged = rule(
  'mysql-enum-set-changed',
  'error',
  {
    summary: 'MODIFY or CHANGE of an ENUM or SET column whose new member list is not the old list with members added at the end.',
    why: 'InnoDB stores an ENUM value as its position in the list and a SET value as a bit mask over it. Adding members at the end keeps every stored number valid, so it only changes the table definition (INSTANT on MySQL 8.0 and MariaDB 10.3+, in place without a rebuild on MySQL 5.7). Removing, reordering or inserting members in the middle renumbers the values, as does growing an ENUM past 255 members or a SET past 8, 16, 24 or 32 (the stored number gets wider): the server then copies the whole table (ALGORITHM=COPY) while INSERT, UPDATE and DELETE wait for the copy to end.',
    instead: "Append new members at the end only, keeping the existing ones in their order: MODIFY status ENUM('new', 'paid', 'shipped') becomes ENUM('new', 'paid', 'shipped', 'refunded'). To retire or reorder members, add a new column, backfill it in batches and switch the application to it, or run the change with an online schema change tool (gh-ost, pt-online-schema-change).",
    examples: [
      {
        setup: 'CREATE TABLE orders (id BIGINT PRIMARY KEY, status ENUM(\'new\', \'paid\', \'shipped\') NOT NULL DEFAULT \'new\');',
        bad: 'ALTER TABLE orders MODIFY status ENUM(\'new\', \'cancelled\', \'paid\', \'shipped\') NOT NULL DEFAULT \'new\';',
        safe: 'ALTER TABLE orders MODIFY status ENUM(\'new\', \'paid\', \'shipped\', \'cancelled\') NOT NULL DEFAULT \'new\';',
      },
    ],
  },
  (step, parsed) =>
    columnChanges(step, parsed).flatMap((change) => {
      const before = memberList(change.before.type);
      const after = memberList(change.after.type);
      if (before === null || after === null || before.kind !== after.kind) return [];
      const problem = renumbering(before, after);
      if (problem === null) return [];
      const { table } = change.alter;
      return [onTable(table, change.alter.statement, `${change.verb} ${change.object} ${problem}: ALGORITHM=COPY rebuilds ${existingOrNew(table)} while writes wait`, change.object)];
    }),
);

const columnTypeChanged = rule(
  'mysql-column-type-changed',
  'error',
  {
    summary: 'MODIFY or CHANGE COLUMN that changes the data type or character set of an existing column, in a way InnoDB cannot do without copying the table.',
    why: 'InnoDB changes few column types without touching the rows: a VARCHAR that grows while its length prefix keeps its size (the maximum length in bytes, characters times 4 for utf8mb4, 3 for utf8mb3, 1 for latin1, stays at most 255, or was already 256 or more), and on MariaDB 10.4+ also a VARCHAR of at most 127 bytes growing to any length and a VARCHAR going from utf8mb3 to utf8mb4. Every other change (INT to BIGINT, signed to unsigned, a shorter VARCHAR, VARCHAR to TEXT, a new DECIMAL precision, a VARCHAR crossing 255 bytes, another character set) copies the whole table (ALGORITHM=COPY): INSERT, UPDATE and DELETE wait until the copy ends, and replicas replay it afterwards.',
    instead: 'On a large table, add a column of the new type, backfill it in batches, switch the application to it and drop the old column in a later release, or run the change with an online schema change tool (gh-ost, pt-online-schema-change). Writing ALGORITHM=INPLACE, LOCK=NONE on the ALTER TABLE makes the server refuse a change that would copy the table instead of doing it silently.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, reference VARCHAR(20) NOT NULL) DEFAULT CHARSET=utf8mb4;',
        bad: 'ALTER TABLE orders MODIFY customer_id BIGINT NOT NULL;',
        safe: 'ALTER TABLE orders ADD COLUMN customer_id_bigint BIGINT NULL;',
      },
      {
        setup: 'CREATE TABLE orders (id BIGINT PRIMARY KEY, reference VARCHAR(40) NOT NULL) DEFAULT CHARSET=utf8mb4;',
        bad: 'ALTER TABLE orders MODIFY reference VARCHAR(80) NOT NULL;',
        safe: 'ALTER TABLE orders MODIFY reference VARCHAR(60) NOT NULL;',
      },
    ],
  },
  (step, parsed) =>
    columnChanges(step, parsed).flatMap((change) => {
      const { before, after } = change;
      // ENUM to ENUM and SET to SET are mysql-enum-set-changed's.
      const listBefore = memberList(before.type);
      const listAfter = memberList(after.type);
      if (listBefore !== null && listAfter !== null && listBefore.kind === listAfter.kind) return [];
      if (sameNativeType(nativeType(before.type), nativeType(after.type)) && before.charset === after.charset) return [];
      if (keepsRowsInPlace(step, change)) return [];
      const { table } = change.alter;
      const what = before.type === after.type ? `changes character set from ${before.charset ?? 'none'} to ${after.charset ?? 'none'}` : `changes type from ${describeType(before)} to ${describeType(after)}`;
      return [onTable(table, change.alter.statement, `${change.verb} ${change.object} ${what}: ALGORITHM=COPY rebuilds ${existingOrNew(table)} while writes wait`, change.object)];
    }),
);

/** MySQL 8.0.29 and MariaDB 10.4 add a column instantly wherever it goes. */
function addsColumnsInstantlyAnywhere(step: LintStep): boolean {
  return isMariaDb(step) ? versionAtLeast(step.serverVersion, '10.4') : versionAtLeast(step.serverVersion, '8.0.29');
}

/** MySQL 8.0.12 and MariaDB 10.3.2 add a last column instantly; older servers rebuild for every ADD COLUMN. */
function addsLastColumnInstantly(step: LintStep): boolean {
  return isMariaDb(step) ? versionAtLeast(step.serverVersion, '10.3.2') : versionAtLeast(step.serverVersion, '8.0.12');
}

const addColumnNotLast = rule(
  'mysql-add-column-not-last',
  'warning',
  {
    summary: 'ADD COLUMN … FIRST or AFTER another column on an existing table, on a server that adds columns instantly only at the end.',
    why: 'MySQL 8.0.12 to 8.0.28 and MariaDB 10.3 add a column instantly (a change of the table definition only) when it becomes the last column. Placed anywhere else, the column makes InnoDB rebuild the table: reads and writes go on, but every row is rewritten, which takes time, I/O and free disk space in proportion to the table, and replicas lag while they replay it. MySQL 8.0.29+ and MariaDB 10.4+ add columns instantly at any position; MySQL before 8.0.12 and MariaDB before 10.3.2 rebuild the table for every ADD COLUMN.',
    instead: 'Add the column at the end (leave out FIRST and AFTER): column order only matters to SELECT * and to INSERT without a column list, which application code should not rely on. Writing ALGORITHM=INSTANT makes the server refuse the statement rather than rebuild the table.',
    examples: [
      {
        setup: 'CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR(200) NOT NULL, created_at DATETIME NOT NULL);',
        bad: 'ALTER TABLE customers ADD COLUMN display_name VARCHAR(100) NULL AFTER email;',
        safe: 'ALTER TABLE customers ADD COLUMN display_name VARCHAR(100) NULL;',
        safeFrom: { MySQL: '8.0.29', MariaDB: '10.4' },
      },
    ],
  },
  (step, parsed) => {
    if (addsColumnsInstantlyAnywhere(step)) return [];
    const server = `${step.product} ${step.serverVersion}`;
    const instantly = addsLastColumnInstantly(step) ? 'only a last column is added instantly there' : 'it adds no column instantly';
    return alterTables(step, parsed).flatMap((alter) => {
      const { table } = alter;
      // ALGORITHM=INSTANT makes the server refuse the rebuild: the migration fails instead.
      if (table.isNew || table.before === null || alter.algorithm === 'INSTANT') return [];
      let last = table.before.columns.at(-1)?.name.toLowerCase() ?? null;
      const findings: FindingDraft[] = [];
      for (const expression of alter.expressions) {
        if (expression.action !== 'add' || expression.resource !== 'column') continue;
        const column = nameText(expression.column?.column);
        if (column === null) continue;
        const position = upper(expression.suffix?.keyword);
        const after = nameText(expression.suffix?.expr?.column);
        if (position === '' || (position === 'AFTER' && after?.toLowerCase() === last)) {
          last = column.toLowerCase();
          continue;
        }
        const where = position === 'FIRST' ? 'FIRST' : `AFTER ${after ?? '?'}`;
        findings.push(onTable(table, alter.statement, `ADD COLUMN ${column} ${where} rebuilds existing table ${table.qualified} on ${server}: ${instantly}`, `${table.qualified}.${column}`));
      }
      return findings;
    });
  },
);

// ---------------------------------------------------------------------------------------------
// ALGORITHM and LOCK

const BLOCKING_LOCKS = new Set(['SHARED', 'EXCLUSIVE']);
const ONLINE_ALGORITHMS = new Set(['INPLACE', 'NOCOPY']);

/** CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX, with its table placed. */
interface CreateIndex {
  readonly statement: SqlStatement;
  readonly node: CreateIndexNode;
  readonly table: TableRef;
  /** `UNIQUE`, `FULLTEXT`, `SPATIAL` or empty. */
  readonly kind: string;
  readonly algorithm: string | null;
  readonly lock: string | null;
}

function createIndexes(step: LintStep, parsed: readonly ParsedStatement[]): CreateIndex[] {
  return parsed.flatMap(({ statement, ast }) => {
    const node = nodeOf<CreateIndexNode>(ast, 'create');
    if (node === null || node.keyword !== 'index') return [];
    const table = placeTable(step, node.table);
    if (table === null) return [];
    const algorithm = node.algorithm_option?.algorithm;
    const lock = node.lock_option?.lock;
    return [{ statement, node, table, kind: upper(node.index_type), algorithm: algorithm === undefined ? null : upper(algorithm), lock: lock === undefined ? null : upper(lock) }];
  });
}

/** A secondary index ALTER TABLE … ADD builds: its kind (`UNIQUE`, `FULLTEXT`, `SPATIAL` or empty) and name. */
interface AddedIndex {
  readonly kind: string;
  readonly name: string | null;
}

function addedIndexes(alter: AlterTable): AddedIndex[] {
  return alter.expressions.flatMap((expression): AddedIndex[] => {
    if (expression.action !== 'add') return [];
    if (expression.resource === 'index') {
      // `index`, `key`, `fulltext index`, `spatial key`…
      const kind = upper(expression.keyword).split(' ')[0]!;
      return [{ kind: kind === 'FULLTEXT' || kind === 'SPATIAL' ? kind : '', name: expression.index ?? null }];
    }
    const definition = expression.create_definitions;
    if (expression.resource !== 'constraint' || definition === undefined) return [];
    const type = upper(definition.constraint_type);
    if (type.startsWith('UNIQUE')) return [{ kind: 'UNIQUE', name: definition.index ?? definition.constraint ?? null }];
    if (type.startsWith('FULLTEXT')) return [{ kind: 'FULLTEXT', name: definition.index ?? null }];
    if (type.startsWith('SPATIAL')) return [{ kind: 'SPATIAL', name: definition.index ?? null }];
    return [];
  });
}

/** SET alter_algorithm = 'COPY' (MariaDB) or old_alter_table = ON: every later ALTER TABLE copies. */
function forcesCopy(assignment: SetAssignment): string | null {
  const variable = variableName(assignment);
  const value = upper(valueText(assignment.right));
  if (variable === 'alter_algorithm' && value === 'COPY') return "SET alter_algorithm = 'COPY'";
  if (variable === 'old_alter_table' && (value === '1' || value === 'ON' || value === 'TRUE' || value === 'COPY')) return `SET old_alter_table = ${value}`;
  return null;
}

const algorithmCopy = rule(
  'mysql-algorithm-copy',
  'error',
  {
    summary: 'ALGORITHM=COPY, LOCK=SHARED or LOCK=EXCLUSIVE on an ALTER TABLE or CREATE INDEX of an existing table, or a session setting that makes every ALTER TABLE copy.',
    why: 'ALGORITHM=COPY builds a new copy of the table row by row, and INSERT, UPDATE and DELETE wait for the whole copy. LOCK=SHARED blocks writes and LOCK=EXCLUSIVE blocks reads as well, for the whole operation, even where InnoDB could have done it online. SET alter_algorithm = COPY (MariaDB) or old_alter_table = ON does the same to every ALTER TABLE that follows in the session.',
    instead: 'Leave ALGORITHM and LOCK out, or better, write ALGORITHM=INSTANT, or ALGORITHM=INPLACE, LOCK=NONE: the server then refuses, with an error, an operation it cannot do online, instead of locking the table. A change that truly needs a copy belongs in an online schema change tool (gh-ost, pt-online-schema-change).',
    examples: [
      {
        setup: 'CREATE TABLE orders (id BIGINT PRIMARY KEY, total DECIMAL(10,2) NOT NULL);',
        bad: 'ALTER TABLE orders ADD COLUMN note VARCHAR(200) NULL, ALGORITHM=COPY;',
        safe: 'ALTER TABLE orders ADD COLUMN note VARCHAR(200) NULL, ALGORITHM=INSTANT;',
      },
    ],
  },
  (step, parsed) => {
    const findings: FindingDraft[] = [];
    const blocking = (algorithm: string | null, lock: string | null): string | null => {
      const words = [algorithm === 'COPY' ? 'ALGORITHM=COPY' : null, lock !== null && BLOCKING_LOCKS.has(lock) ? `LOCK=${lock}` : null].filter((w) => w !== null);
      return words.length === 0 ? null : words.join(', ');
    };
    for (const alter of alterTables(step, parsed)) {
      // FULLTEXT and SPATIAL indexes need LOCK=SHARED: their own rules report them.
      const needsSharedLock = addedIndexes(alter).some((index) => index.kind === 'FULLTEXT' || index.kind === 'SPATIAL');
      const stated = blocking(alter.algorithm, needsSharedLock && alter.lock === 'SHARED' ? null : alter.lock);
      if (stated !== null) findings.push(onTable(alter.table, alter.statement, `ALTER TABLE ${alter.table.qualified} with ${stated} blocks writes to ${existingOrNew(alter.table)} for the whole operation`));
    }
    for (const index of createIndexes(step, parsed)) {
      const needsSharedLock = index.kind === 'FULLTEXT' || index.kind === 'SPATIAL';
      const stated = blocking(index.algorithm, needsSharedLock && index.lock === 'SHARED' ? null : index.lock);
      if (stated !== null) findings.push(onTable(index.table, index.statement, `CREATE INDEX ${index.node.index ?? ''} with ${stated} blocks writes to ${existingOrNew(index.table)} while it builds`));
    }
    for (const { statement, ast } of parsed) {
      for (const assignment of nodeOf<SetNode>(ast, 'set')?.expr ?? []) {
        const setting = forcesCopy(assignment);
        if (setting !== null) findings.push({ object: null, message: `${setting} makes every later ALTER TABLE in the session copy its table while writes wait`, statement, table: null });
      }
    }
    return findings;
  },
);

const addIndexWithoutAlgorithm = rule(
  'mysql-add-index-without-algorithm',
  'info',
  {
    summary: 'CREATE INDEX or ALTER TABLE … ADD INDEX, KEY or UNIQUE on an existing table without ALGORITHM=INPLACE, LOCK=NONE.',
    why: 'InnoDB builds a secondary index online by default, letting reads and writes through (MySQL 5.6+, MariaDB 10.0+). Nothing in the statement holds it to that, though: when something rules out an online build (another clause of the same ALTER TABLE that needs a copy, a table that is not InnoDB, alter_algorithm or old_alter_table set in the session), the server silently falls back to a locking algorithm and blocks writes for the whole build.',
    instead: 'State it: ALTER TABLE orders ADD INDEX orders_customer_idx (customer_id), ALGORITHM=INPLACE, LOCK=NONE, or CREATE INDEX orders_customer_idx ON orders (customer_id) ALGORITHM=INPLACE LOCK=NONE. The server then refuses with an error instead of locking the table.',
    examples: [
      {
        setup: 'CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL);',
        bad: 'CREATE INDEX orders_customer_idx ON orders (customer_id);',
        safe: 'CREATE INDEX orders_customer_idx ON orders (customer_id) ALGORITHM=INPLACE LOCK=NONE;',
      },
    ],
  },
  (step, parsed) => {
    // ALGORITHM=COPY and a blocking LOCK are mysql-algorithm-copy's.
    const statesHowToBuild = (algorithm: string | null, lock: string | null): boolean =>
      (algorithm !== null && ONLINE_ALGORITHMS.has(algorithm) && lock === 'NONE') || algorithm === 'COPY' || (lock !== null && BLOCKING_LOCKS.has(lock));
    const findings: FindingDraft[] = [];
    for (const alter of alterTables(step, parsed)) {
      if (alter.table.isNew || statesHowToBuild(alter.algorithm, alter.lock)) continue;
      for (const index of addedIndexes(alter)) {
        if (index.kind !== '' && index.kind !== 'UNIQUE') continue;
        const what = `${index.kind === 'UNIQUE' ? 'UNIQUE ' : ''}INDEX${index.name === null ? '' : ` ${index.name}`}`;
        findings.push(onTable(alter.table, alter.statement, `ADD ${what} on existing table ${alter.table.qualified} does not state ALGORITHM=INPLACE, LOCK=NONE: the server may lock the table instead of refusing`));
      }
    }
    for (const index of createIndexes(step, parsed)) {
      if (index.table.isNew || (index.kind !== '' && index.kind !== 'UNIQUE') || statesHowToBuild(index.algorithm, index.lock)) continue;
      findings.push(onTable(index.table, index.statement, `CREATE ${index.kind === 'UNIQUE' ? 'UNIQUE ' : ''}INDEX ${index.node.index ?? ''} on existing table ${index.table.qualified} does not state ALGORITHM=INPLACE LOCK=NONE: the server may lock the table instead of refusing`));
    }
    return findings;
  },
);

// ---------------------------------------------------------------------------------------------
// Indexes InnoDB cannot build online

function indexRule(kind: 'FULLTEXT' | 'SPATIAL', id: string, docs: LintRuleDocs, consequence: (table: TableRef) => string): StatementRule {
  return rule(id, 'error', docs, (step, parsed) => {
    const findings: FindingDraft[] = [];
    for (const alter of alterTables(step, parsed)) {
      for (const index of addedIndexes(alter)) {
        if (index.kind !== kind) continue;
        const object = index.name === null ? alter.table.qualified : `${alter.table.qualified}.${index.name}`;
        findings.push(onTable(alter.table, alter.statement, `ADD ${kind} INDEX${index.name === null ? '' : ` ${index.name}`} ${consequence(alter.table)}`, object));
      }
    }
    for (const index of createIndexes(step, parsed)) {
      if (index.kind !== kind) continue;
      const name = index.node.index ?? null;
      findings.push(onTable(index.table, index.statement, `CREATE ${kind} INDEX${name === null ? '' : ` ${name}`} ${consequence(index.table)}`, name === null ? index.table.qualified : `${index.table.qualified}.${name}`));
    }
    return findings;
  });
}

const hasFulltextIndex = (table: TableRef): boolean => (table.before?.indexes ?? []).some((index) => upper(index.method) === 'FULLTEXT');

const addFulltextIndex = indexRule(
  'FULLTEXT',
  'mysql-add-fulltext-index',
  {
    summary: 'A FULLTEXT index added to an existing table.',
    why: 'InnoDB cannot build a FULLTEXT index with LOCK=NONE: INSERT, UPDATE and DELETE wait until the whole index is built. The first FULLTEXT index of a table also rebuilds the entire table to add the hidden FTS_DOC_ID column, unless the table already has one.',
    instead: 'Build it with an online schema change tool (pt-online-schema-change) or in a maintenance window. For a new table, declare the FULLTEXT index in CREATE TABLE; when one will only be added later, create the table with an FTS_DOC_ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT column and a unique index named FTS_DOC_ID_INDEX on it, so that adding the index does not rebuild the table (writes still wait for the build).',
    examples: [
      {
        setup: 'CREATE TABLE articles (id BIGINT PRIMARY KEY, body TEXT NOT NULL);',
        bad: 'ALTER TABLE articles ADD FULLTEXT INDEX articles_body_ft (body);',
        safe: 'CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL, FULLTEXT INDEX notes_body_ft (body));',
      },
    ],
  },
  (table) =>
    table.isNew
      ? `on table ${table.qualified} (created in this migration) blocks writes while it builds`
      : `blocks writes to existing table ${table.qualified} while it builds${hasFulltextIndex(table) ? '' : ', and as its first FULLTEXT index rebuilds the whole table to add FTS_DOC_ID'}`,
);

const addSpatialIndex = indexRule(
  'SPATIAL',
  'mysql-add-spatial-index',
  {
    summary: 'A SPATIAL index added to an existing table.',
    why: 'InnoDB builds spatial (R-tree) indexes in place but not online: LOCK=NONE is refused, so INSERT, UPDATE and DELETE wait until the whole index is built (MySQL 5.7+, MariaDB 10.2+).',
    instead: 'Build it with an online schema change tool (pt-online-schema-change) or in a maintenance window; for a new table, declare the SPATIAL index in CREATE TABLE.',
    examples: [
      {
        setup: 'CREATE TABLE shops (id BIGINT PRIMARY KEY, location POINT NOT NULL);',
        bad: 'ALTER TABLE shops ADD SPATIAL INDEX shops_location_sp (location);',
        safe: 'CREATE TABLE depots (id BIGINT PRIMARY KEY, location POINT NOT NULL, SPATIAL INDEX depots_location_sp (location));',
      },
    ],
  },
  (table) => `blocks writes to ${existingOrNew(table)} while it builds`,
);

// ---------------------------------------------------------------------------------------------
// Table rebuilds

const dropPrimaryKey = rule(
  'mysql-drop-primary-key',
  'error',
  {
    summary: 'ALTER TABLE … DROP PRIMARY KEY on an existing table without adding a new primary key in the same statement.',
    why: 'InnoDB stores the rows in primary key order. Dropping the key without adding another in the same statement can only be done by copying the table (ALGORITHM=COPY), and writes wait for the whole copy; dropping it in one statement and adding the new key in the next rebuilds the table twice. In between, the table is clustered on its first UNIQUE NOT NULL index or on a hidden row id, which row-based replication, Galera and group replication handle badly (group replication and sql_require_primary_key refuse such tables).',
    instead: 'Drop the old key and add the new one in the same statement, which InnoDB rebuilds in place with writes allowed: ALTER TABLE order_items DROP PRIMARY KEY, ADD PRIMARY KEY (order_id, line), ALGORITHM=INPLACE, LOCK=NONE.',
    examples: [
      {
        setup: 'CREATE TABLE order_lines (order_id BIGINT NOT NULL, line INT NOT NULL, sku VARCHAR(20) NOT NULL, PRIMARY KEY (order_id, line));',
        bad: 'ALTER TABLE order_lines DROP PRIMARY KEY;',
        alsoReports: ['primary-key-changed'],
        safe: 'ALTER TABLE order_lines DROP PRIMARY KEY, ADD PRIMARY KEY (order_id, line, sku), ALGORITHM=INPLACE, LOCK=NONE;',
      },
    ],
  },
  (step, parsed) =>
    alterTables(step, parsed).flatMap((alter) => {
      if (!alter.dropsPrimaryKey || alter.addsPrimaryKey) return [];
      return [onTable(alter.table, alter.statement, `DROP PRIMARY KEY without ADD PRIMARY KEY in the same statement copies ${existingOrNew(alter.table)} while writes wait (ALGORITHM=COPY)`)];
    }),
);

const convertCharset = rule(
  'mysql-convert-charset',
  'error',
  {
    summary: 'ALTER TABLE … CONVERT TO CHARACTER SET on an existing table.',
    why: 'CONVERT TO re-encodes every CHAR, VARCHAR, TEXT, ENUM and SET column and rebuilds their indexes: the server copies the whole table (ALGORITHM=COPY) while INSERT, UPDATE and DELETE wait. Converting to a wider character set (latin1 or utf8mb3 to utf8mb4) can also turn a TEXT column into MEDIUMTEXT to keep its length, or push an index past the key size limit and fail half way through the migration.',
    instead: 'Change the default for new columns with ALTER TABLE … DEFAULT CHARACTER SET = utf8mb4 (a change of the definition only), and convert the existing columns with an online schema change tool (gh-ost, pt-online-schema-change) or in a maintenance window. On MariaDB 10.4+, MODIFY of a VARCHAR column from utf8mb3 to utf8mb4 is instant.',
    examples: [
      {
        setup: 'CREATE TABLE customers (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL) DEFAULT CHARSET=latin1;',
        bad: 'ALTER TABLE customers CONVERT TO CHARACTER SET utf8mb4;',
        safe: 'ALTER TABLE customers DEFAULT CHARACTER SET = utf8mb4;',
      },
    ],
  },
  (step, parsed) =>
    alterTables(step, parsed).flatMap((alter) => {
      if (alter.convertTo === null) return [];
      return [onTable(alter.table, alter.statement, `CONVERT TO CHARACTER SET ${alter.convertTo} re-encodes every text column of ${existingOrNew(alter.table)} in a table copy while writes wait`)];
    }),
);

/** OPTIMIZE [NO_WRITE_TO_BINLOG | LOCAL] TABLE a, b: node-sql-parser has no grammar for it. */
function optimizedTables(statement: SqlStatement): string[] | null {
  const tokens = statementTokens(statement);
  if (keywordOf(tokens[0]) !== 'OPTIMIZE') return null;
  let at = 1;
  if (keywordOf(tokens[at]) === 'NO_WRITE_TO_BINLOG' || keywordOf(tokens[at]) === 'LOCAL') at += 1;
  if (keywordOf(tokens[at]) !== 'TABLE' && keywordOf(tokens[at]) !== 'TABLES') return null;
  return splitClauses(tokens.slice(at + 1)).flatMap((clause) => {
    // `db.table`: the last name is the table's.
    const name = identifierOf(clause.at(-1));
    return name === null ? [] : [name];
  });
}

const optimizeTable = rule(
  'mysql-optimize-table',
  'warning',
  {
    summary: 'OPTIMIZE TABLE in a migration.',
    why: 'On InnoDB, OPTIMIZE TABLE is ALTER TABLE … FORCE followed by ANALYZE TABLE: it rebuilds the whole table and every index. The rebuild lets reads and writes through, but takes time, I/O and free disk space in proportion to the table, takes an exclusive metadata lock at its start and end (which waits behind long transactions while every query arriving after it queues), and replicas lag while they replay it. A table with a FULLTEXT index is copied with writes blocked, and MyISAM and Aria tables are locked for the whole run.',
    instead: 'Keep space reclamation out of schema migrations: run it as a maintenance task at a quiet time, or rebuild with an online schema change tool (pt-online-schema-change with a no-op alter). When only the index statistics need refreshing, ANALYZE TABLE is enough.',
    examples: [
      {
        setup: 'CREATE TABLE events (id BIGINT PRIMARY KEY, payload TEXT);',
        bad: 'OPTIMIZE TABLE events;',
        safe: 'ANALYZE TABLE events;',
      },
    ],
  },
  (step, parsed) =>
    parsed.flatMap(({ statement, ast }) => {
      if (ast !== null) return [];
      return (optimizedTables(statement) ?? []).map((name) => {
        const table = tableRef(step, null, name, DATABASE_NAMESPACE);
        const copy = hasFulltextIndex(table) ? ' (it has a FULLTEXT index, so writes wait for a full copy)' : '';
        return onTable(table, statement, `OPTIMIZE TABLE rebuilds ${existingOrNew(table)} and every index${copy}`);
      });
    }),
);

// ---------------------------------------------------------------------------------------------
// Destructive and locking statements

const truncateTable = rule(
  'mysql-truncate-table',
  'warning',
  {
    summary: 'TRUNCATE TABLE on a table that existed before the migration.',
    why: 'TRUNCATE deletes every row by dropping and recreating the table: it commits implicitly and cannot be rolled back, fires no DELETE triggers, resets AUTO_INCREMENT, and waits for an exclusive metadata lock behind every open transaction on the table while all queries arriving after it queue. The application still running during the deploy loses the rows it reads. With foreign key checks on, InnoDB refuses it on a table other tables reference.',
    instead: 'Delete only the rows meant to go, with DELETE … WHERE … in batches (LIMIT), after copying what must be kept; when emptying the table is the intent (a cache, a staging table), say so in a suppression.',
    examples: [
      {
        setup: 'CREATE TABLE sessions (id BIGINT PRIMARY KEY, expires_at DATETIME NOT NULL);',
        bad: 'TRUNCATE TABLE sessions;',
        safe: 'DELETE FROM sessions WHERE expires_at < \'2024-01-01\' LIMIT 10000;',
      },
    ],
  },
  (step, parsed) =>
    parsed.flatMap(({ statement, ast }) =>
      (nodeOf<TruncateNode>(ast, 'truncate')?.name ?? []).flatMap((name) => {
        const table = placeTable(step, name);
        if (table === null) return [];
        return [onTable(table, statement, `TRUNCATE TABLE deletes every row of ${existingOrNew(table)}, with an implicit commit that cannot be rolled back`)];
      }),
    ),
);

const lockTables = rule(
  'mysql-lock-tables',
  'warning',
  {
    summary: 'LOCK TABLES in a migration.',
    why: 'LOCK TABLES … WRITE keeps every other session from reading or writing the tables, and READ keeps them from writing, until UNLOCK TABLES or the end of the connection: if the migration fails half way, the tool’s connection can go on holding them. LOCK TABLES also commits any open transaction implicitly, and while the locks are held the session may use only the tables it locked, so later statements of the migration fail.',
    instead: 'Let each statement take its own locks: ALTER TABLE and CREATE INDEX take the metadata locks they need, and data changes belong in a transaction (START TRANSACTION … COMMIT, with SELECT … FOR UPDATE where rows must be held while others wait).',
    examples: [
      {
        setup: 'CREATE TABLE accounts (id BIGINT PRIMARY KEY, balance DECIMAL(12,2) NOT NULL);',
        bad: 'LOCK TABLES accounts WRITE;\nUPDATE accounts SET balance = 0 WHERE id = 1;\nUNLOCK TABLES;',
        safe: 'UPDATE accounts SET balance = 0 WHERE id = 1;',
      },
    ],
  },
  (step, parsed) =>
    parsed.flatMap(({ statement, ast }) =>
      (nodeOf<LockTablesNode>(ast, 'lock')?.tables ?? []).flatMap((locked) => {
        const table = placeTable(step, locked.table);
        if (table === null) return [];
        const mode = upper(locked.lock_type?.type) === 'WRITE' ? 'WRITE blocks reads and writes' : 'READ blocks writes';
        return [onTable(table, statement, `LOCK TABLES ${table.qualified} ${mode} of other sessions until UNLOCK TABLES or the connection ends`)];
      }),
    ),
);

const dropDatabase = rule(
  'mysql-drop-database',
  'error',
  {
    summary: 'DROP DATABASE (or DROP SCHEMA) in a migration.',
    why: 'It removes every table, view, routine, trigger and event of the database with all their rows, at once and for good: only a backup brings them back. A migration works on the database it is run against without naming it, so one that drops a database reaches outside what its migration history manages.',
    instead: 'Drop databases by hand, after a backup, outside the migration history; to retire part of a schema, drop its tables one by one in migrations.',
    examples: [
      {
        setup: 'CREATE TABLE report_rows (id BIGINT PRIMARY KEY);',
        bad: 'DROP DATABASE IF EXISTS schemaguard_example_reports;',
        safe: '-- schemaguard:ignore table-dropped the reports moved to the warehouse in release 41\nDROP TABLE report_rows;',
      },
    ],
  },
  (_step, parsed) =>
    parsed.flatMap(({ statement, ast }) => {
      const drop = nodeOf<DropNode>(ast, 'drop');
      const keyword = upper(drop?.keyword);
      if (drop === null || (keyword !== 'DATABASE' && keyword !== 'SCHEMA')) return [];
      const name = nameText(drop.name) ?? '(unnamed)';
      return [{ object: name, message: `DROP ${keyword} ${name} removes every object of the database with its data`, statement, table: null }];
    }),
);

// ---------------------------------------------------------------------------------------------
// Session settings

/** The system variable a SET assigns, lower case: `foreign_key_checks`, `@@session.x` → `x`. */
function variableName(assignment: SetAssignment): string | null {
  const left = assignment.left;
  if (left === undefined || left.name === undefined || left.prefix === '@') return null;
  const members = left.members ?? [];
  const scoped = ['session', 'global', 'local', 'persist'].includes(left.name.toLowerCase()) && members.length > 0;
  return (scoped ? members[0]! : left.name).toLowerCase();
}

function isGlobal(node: SetNode, assignment: SetAssignment): boolean {
  const scoped = (assignment.left?.members ?? []).length > 0 ? assignment.left?.name : node.keyword;
  return ['GLOBAL', 'PERSIST'].includes(upper(scoped));
}

/** The value a SET assigns, as written: `0`, `OFF`, `1`; null for an expression or a variable. */
function valueText(right: SetAssignment['right']): string | null {
  if (right === undefined) return null;
  if (right.type === 'number' || right.type === 'single_quote_string' || right.type === 'double_quote_string' || right.type === 'bool') return String(right.value);
  if (right.type === 'column_ref') return nameText(right.column);
  return null;
}

const OFF_VALUES = new Set(['0', 'OFF', 'FALSE']);

const foreignKeyChecksDisabled = rule(
  'mysql-foreign-key-checks-disabled',
  'warning',
  {
    summary: 'SET foreign_key_checks = 0 that the migration does not turn back on, or that it sets globally.',
    why: 'While foreign key checks are off, InnoDB checks neither the rows written nor the existing rows of a foreign key being added: orphan rows get in, and the constraint no longer says what the data holds. Left off at the end of a migration, the setting stays with the connection: the migrations after it, and application queries on a pooled connection, run unchecked too. SET GLOBAL turns checks off for every new session on the server.',
    instead: 'Keep checks on where possible: order the statements so that referenced tables exist first, and clean up orphan rows before adding a foreign key. Where checks must be off for a step (adding a foreign key without copying the table needs them off), turn them off in the session only and back on right after it: SET foreign_key_checks = 0; ALTER TABLE …; SET foreign_key_checks = 1.',
    examples: [
      {
        setup: 'CREATE TABLE customers (id BIGINT PRIMARY KEY);\nCREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL);',
        bad: 'SET foreign_key_checks = 0;\nALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);',
        alsoReports: ['foreign-key-added'],
        safe: 'SET foreign_key_checks = 0;\nALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);\nSET foreign_key_checks = 1;',
      },
    ],
  },
  (_step, parsed) => {
    const findings: FindingDraft[] = [];
    let disabledBy: SqlStatement | null = null;
    for (const { statement, ast } of parsed) {
      const node = nodeOf<SetNode>(ast, 'set');
      for (const assignment of node?.expr ?? []) {
        if (variableName(assignment) !== 'foreign_key_checks') continue;
        const value = valueText(assignment.right);
        const off = value !== null && OFF_VALUES.has(value.toUpperCase());
        if (isGlobal(node!, assignment)) {
          if (off) findings.push({ object: null, message: 'SET GLOBAL foreign_key_checks = 0 turns foreign key checks off for every new session on the server', statement, table: null });
          continue;
        }
        // Turned back on, or restored from a saved value (SET foreign_key_checks = @old).
        disabledBy = off ? statement : null;
      }
    }
    if (disabledBy !== null) {
      findings.push({ object: null, message: 'SET foreign_key_checks = 0 is not turned back on in this migration: later statements on the connection run without foreign key checks', statement: disabledBy, table: null });
    }
    return findings;
  },
);

/** The MySQL and MariaDB statement rules, in the order their documentation lists them. */
export const MYSQL_STATEMENT_RULES: readonly StatementRule[] = [
  columnTypeChanged,
  enumSetChanged,
  addColumnNotLast,
  algorithmCopy,
  addIndexWithoutAlgorithm,
  addFulltextIndex,
  addSpatialIndex,
  dropPrimaryKey,
  convertCharset,
  optimizeTable,
  truncateTable,
  lockTables,
  dropDatabase,
  foreignKeyChecksDisabled,
];
