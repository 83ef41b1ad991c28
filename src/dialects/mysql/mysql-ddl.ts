import type {
  CheckConstraint,
  Column,
  DatabaseEvent,
  ForeignKey,
  Index,
  IndexKey,
  Partitioning,
  Routine,
  Sequence,
  Table,
  Trigger,
  View,
} from '../../snapshot/model.js';
import { DATABASE_NAMESPACE } from '../../snapshot/model.js';
import { delimited, quoteAccount, quoteIdent, quoteString } from './mysql-quote.js';

/**
 * MySQL/MariaDB DDL for snapshot objects: what recreates each one. Types, defaults,
 * expressions and view bodies come from the snapshot as the server rendered them
 * (information_schema), so they read back to the same thing. Objects of the connected
 * database are never qualified: a script runs against whichever database the client names.
 */

/** `main` is the database itself; any other namespace is another database, named. */
export function tableName(schema: string, name: string): string {
  return schema === DATABASE_NAMESPACE ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** MariaDB's JSON is LONGTEXT with a json_valid() check named after the column. */
export function isMariadbJsonColumn(column: Column): boolean {
  return column.normalizedType === 'json' && column.type.toLowerCase() !== 'json';
}

/** The check MariaDB adds by itself to a JSON column; it is declared by the column's type. */
export function isImplicitJsonCheck(table: Table, check: CheckConstraint): boolean {
  const column = table.columns.find((c) => c.name === check.name);
  return column !== undefined && isMariadbJsonColumn(column) && check.expression === `json_valid(${quoteIdent(column.name)})`;
}

const LITERAL_DEFAULT = /^(?:'(?:[^'\\]|''|\\.)*'|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|NULL|TRUE|FALSE|[bx]'[0-9a-f]*')$/i;
const TIMESTAMP_DEFAULT = /^(?:current_timestamp|now|localtime|localtimestamp)(?:\(\d*\))?$/i;

/**
 * A default as the server rendered it (MariaDB writes an SQL expression). Literals and
 * CURRENT_TIMESTAMP are written bare, anything else in parentheses, which both flavours
 * read as an expression default. (This reads the server's rendering, never user SQL.)
 */
export function defaultClause(value: string): string {
  return LITERAL_DEFAULT.test(value) || TIMESTAMP_DEFAULT.test(value) ? `DEFAULT ${value}` : `DEFAULT (${value})`;
}

/** Everything after the column name in CREATE TABLE / ADD COLUMN / MODIFY COLUMN. */
export function columnType(column: Column): string {
  if (isMariadbJsonColumn(column)) return 'json';
  const parts = [column.type];
  if (column.charset !== null) parts.push(`CHARACTER SET ${column.charset}`);
  if (column.collation !== null) parts.push(`COLLATE ${column.collation}`);
  return parts.join(' ');
}

export function columnDefinition(column: Column): string {
  const parts = [quoteIdent(column.name), columnType(column)];
  if (column.generated !== null) {
    parts.push(`GENERATED ALWAYS AS (${column.generated.expression}) ${column.generated.storage === 'stored' ? 'STORED' : 'VIRTUAL'}`);
    if (!column.nullable) parts.push('NOT NULL');
  } else {
    // NULL is said explicitly: an unsaid TIMESTAMP nullability defaults to NOT NULL on older servers.
    parts.push(column.nullable ? 'NULL' : 'NOT NULL');
    if (column.default !== null) parts.push(defaultClause(column.default));
    else if (column.nullable && !column.autoIncrement) parts.push('DEFAULT NULL');
    if (column.onUpdate !== null) parts.push(`ON UPDATE ${column.onUpdate}`);
    if (column.autoIncrement) parts.push('AUTO_INCREMENT');
  }
  if (column.comment !== null) parts.push(`COMMENT ${quoteString(column.comment)}`);
  return parts.join(' ');
}

const columnList = (columns: readonly string[]) => columns.map(quoteIdent).join(', ');

export function primaryKeyClause(columns: readonly string[]): string {
  return `PRIMARY KEY (${columnList(columns)})`;
}

function keyPart(key: IndexKey): string {
  const head = key.kind === 'column' ? quoteIdent(key.column) : `(${key.expression})`;
  const prefix = key.prefixLength === null ? '' : `(${key.prefixLength})`;
  return `${head}${prefix}${key.order === 'desc' ? ' DESC' : ''}`;
}

/** `UNIQUE KEY name (a, b(10) DESC) USING HASH COMMENT '…' IGNORED`, for CREATE TABLE and ADD. */
export function indexClause(index: Index, engine: string | undefined): string {
  const method = index.method?.toUpperCase() ?? null;
  const kind = method === 'FULLTEXT' ? 'FULLTEXT ' : method === 'SPATIAL' ? 'SPATIAL ' : index.unique ? 'UNIQUE ' : '';
  const parts = [`${kind}KEY ${quoteIdent(index.name)} (${index.keys.map(keyPart).join(', ')})`];
  const memory = engine !== undefined && ['MEMORY', 'HEAP'].includes(engine.toUpperCase());
  if (method === 'HASH' || (method === 'BTREE' && memory)) parts.push(`USING ${method}`);
  if (index.options.parser !== undefined) parts.push(`WITH PARSER ${index.options.parser}`);
  if (index.comment !== null) parts.push(`COMMENT ${quoteString(index.comment)}`);
  if (index.options.ignored === 'true') parts.push('IGNORED');
  if (index.options.invisible === 'true') parts.push('INVISIBLE');
  return parts.join(' ');
}

export function checkClause(check: CheckConstraint): string {
  const name = check.name === null ? '' : `CONSTRAINT ${quoteIdent(check.name)} `;
  return `${name}CHECK (${check.expression})${check.validated ? '' : ' NOT ENFORCED'}`;
}

const ACTIONS: Record<ForeignKey['onDelete'], string> = {
  'no action': 'NO ACTION',
  restrict: 'RESTRICT',
  cascade: 'CASCADE',
  'set null': 'SET NULL',
  'set default': 'SET DEFAULT',
};

export function foreignKeyClause(fk: ForeignKey): string {
  const parts = [
    `${fk.name === null ? '' : `CONSTRAINT ${quoteIdent(fk.name)} `}FOREIGN KEY (${columnList(fk.columns)})`,
    `REFERENCES ${tableName(fk.referencedSchema, fk.referencedTable)} (${columnList(fk.referencedColumns)})`,
  ];
  // MariaDB reports an unsaid action as RESTRICT; both are written, so either reads back.
  parts.push(`ON DELETE ${ACTIONS[fk.onDelete]}`, `ON UPDATE ${ACTIONS[fk.onUpdate]}`);
  return parts.join(' ');
}

const STRATEGY_SQL: Record<Partitioning['strategy'], string> = {
  range: 'RANGE',
  list: 'LIST',
  hash: 'HASH',
  key: 'KEY',
  'range columns': 'RANGE COLUMNS',
  'list columns': 'LIST COLUMNS',
  'linear hash': 'LINEAR HASH',
  'linear key': 'LINEAR KEY',
};

/** The marker mysql-partitions.ts writes between a partition's bound and its subpartitions. */
const SUBPARTITIONS = ' (SUBPARTITION ';

/** `PARTITION BY RANGE (year(paid_on)) (PARTITION p2022 VALUES LESS THAN (2023) COMMENT '…', …)`. */
export function partitionClause(partitioning: Partitioning): string {
  const head = `PARTITION BY ${STRATEGY_SQL[partitioning.strategy]} (${partitioning.key})`;
  const sub = partitioning.subpartitioning === null ? '' : ` SUBPARTITION BY ${partitioning.subpartitioning}`;
  const defaultNames = partitioning.partitions.every((p, i) => p.name === `p${i}` && p.bound === '' && p.comment === null);
  if (defaultNames && partitioning.subpartitioning === null) return `${head} PARTITIONS ${partitioning.partitions.length}`;
  const partitions = partitioning.partitions.map((partition) => {
    const at = partition.bound.indexOf(SUBPARTITIONS);
    const bound = at < 0 ? partition.bound : partition.bound.slice(0, at);
    const subpartitions = at < 0 ? '' : partition.bound.slice(at);
    const comment = partition.comment === null ? '' : ` COMMENT = ${quoteString(partition.comment)}`;
    return `PARTITION ${quoteIdent(partition.name)}${bound === '' ? '' : ` ${bound}`}${comment}${subpartitions}`;
  });
  return `${head}${sub}\n(${partitions.join(',\n ')})`;
}

/** Table options the snapshot keeps under names CREATE TABLE spells otherwise. */
const OPTION_SQL: Record<string, string> = { charset: 'DEFAULT CHARSET', collation: 'COLLATE', system_versioning: '' };

/** What takes an option back out of CREATE_OPTIONS where `=DEFAULT` is not accepted. */
const OPTION_RESET: Record<string, string> = { checksum: '0', key_block_size: '0', delay_key_write: '0', avg_row_length: '0', max_rows: '0', min_rows: '0' };

/** One table option as CREATE/ALTER TABLE writes it; null when it has no such spelling. */
export function tableOption(name: string, value: string | undefined): string | null {
  if (name === 'system_versioning') return null;
  const keyword = OPTION_SQL[name] ?? name.toUpperCase();
  if (value === undefined) return name === 'charset' || name === 'collation' || name === 'engine' ? null : `${keyword}=${OPTION_RESET[name] ?? 'DEFAULT'}`;
  return `${keyword}=${name === 'comment' ? quoteString(value) : value}`;
}

export function tableOptions(table: Table): string {
  const options = Object.entries(table.options)
    .sort(([a], [b]) => optionOrder(a) - optionOrder(b))
    .map(([name, value]) => tableOption(name, value))
    .filter((option): option is string => option !== null);
  if (table.comment !== null) options.push(`COMMENT=${quoteString(table.comment)}`);
  if (table.options.system_versioning === 'true') options.push('WITH SYSTEM VERSIONING');
  return options.join(' ');
}

/** ENGINE, then the character set before its collation, then the rest. */
function optionOrder(name: string): number {
  return ['engine', 'charset', 'collation'].indexOf(name) + 1 || 10;
}

/** CREATE TABLE with columns, keys and checks; foreign keys are added once every table exists. */
export function createTable(table: Table): string {
  const elements = [
    ...table.columns.map(columnDefinition),
    ...(table.primaryKey === null ? [] : [primaryKeyClause(table.primaryKey.columns)]),
    ...table.indexes.map((index) => indexClause(index, table.options.engine)),
    ...table.checks.filter((check) => !isImplicitJsonCheck(table, check)).map(checkClause),
  ];
  const options = tableOptions(table);
  const partitioning = table.partitioning === null ? '' : `\n${partitionClause(table.partitioning)}`;
  return `CREATE TABLE ${tableName(table.schema, table.name)} (\n  ${elements.join(',\n  ')}\n)${options === '' ? '' : ` ${options}`}${partitioning}`;
}

const definer = (owner: string | null | undefined) => (owner === null || owner === undefined ? '' : ` DEFINER=${quoteAccount(owner)}`);

export function createView(view: View, replace: boolean): string {
  const parts = [`CREATE${replace ? ' OR REPLACE' : ''}`];
  if (view.options.algorithm !== undefined) parts.push(`ALGORITHM=${view.options.algorithm.toUpperCase()}`);
  const owner = definer(view.owner).trim();
  if (owner !== '') parts.push(owner);
  if (view.options.security !== undefined) parts.push(`SQL SECURITY ${view.options.security.toUpperCase()}`);
  parts.push(`VIEW ${tableName(view.schema, view.name)} AS ${view.definition}`);
  if (view.checkOption !== null) parts.push(`WITH ${view.checkOption.toUpperCase()} CHECK OPTION`);
  return parts.join(' ');
}

/**
 * Characteristics shared by CREATE and ALTER FUNCTION/PROCEDURE. ALTER states an empty
 * comment to remove one; CREATE leaves it out.
 */
export function routineCharacteristics(routine: Pick<Routine, 'comment' | 'dataAccess' | 'security'>, verb: 'CREATE' | 'ALTER'): string[] {
  const parts: string[] = [];
  if (routine.dataAccess !== null) parts.push(routine.dataAccess);
  parts.push(`SQL SECURITY ${routine.security.toUpperCase()}`);
  if (routine.comment !== null || verb === 'ALTER') parts.push(`COMMENT ${quoteString(routine.comment ?? '')}`);
  return parts;
}

export function routineKeyword(routine: Routine): 'FUNCTION' | 'PROCEDURE' {
  return routine.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION';
}

/** The sql_mode a routine was created under, from its settings. */
function sqlModeOf(routine: Routine): string | null {
  const setting = routine.settings.find((s) => s.startsWith('sql_mode='));
  return setting === undefined ? null : setting.slice('sql_mode='.length);
}

/**
 * CREATE FUNCTION/PROCEDURE in a DELIMITER block, under the sql_mode it was created with
 * (it governs how the body runs), restoring the session's own afterwards.
 */
export function createRoutine(routine: Routine): string {
  const head = [`CREATE${definer(routine.owner)} ${routineKeyword(routine)} ${quoteIdent(routine.name)}(${routine.arguments})`];
  if (routine.kind !== 'procedure' && routine.returns !== null) head.push(`RETURNS ${routine.returns}`);
  const characteristics = [...(routine.deterministic ? ['DETERMINISTIC'] : ['NOT DETERMINISTIC']), ...routineCharacteristics(routine, 'CREATE')];
  const create = `${head.join(' ')}\n  ${characteristics.join(' ')}\n${routine.body}`;
  return withSqlMode(sqlModeOf(routine), delimited([create]));
}

function withSqlMode(mode: string | null, block: string): string {
  if (mode === null) return block;
  return [
    'SET @schemaguard_sql_mode = @@sql_mode;',
    `SET sql_mode = ${quoteString(mode)};`,
    block,
    'SET sql_mode = @schemaguard_sql_mode;',
  ].join('\n');
}

/** `FOLLOWS other` / `PRECEDES other` place a trigger among those of its table, timing and event. */
export function createTrigger(trigger: Trigger, placement: string | null): string {
  const events = trigger.events.map((event) => event.toUpperCase()).join(' OR ');
  const head = `CREATE${definer(trigger.owner)} TRIGGER ${quoteIdent(trigger.name)} ${trigger.timing.toUpperCase()} ${events} ON ${tableName(trigger.schema, trigger.table)} FOR EACH ROW${placement === null ? '' : ` ${placement}`}`;
  return delimited([`${head}\n${trigger.action}`]);
}

const STATUS_SQL: Record<string, string> = { enabled: 'ENABLE', disabled: 'DISABLE', slaveside_disabled: 'DISABLE ON SLAVE' };

/** The marker mysql-snapshot.ts writes before an event's own time zone. */
const TIME_ZONE = " TIME ZONE '";

/** An event's schedule, and the time zone it was created in (CREATE EVENT takes the session's). */
export function eventSchedule(event: DatabaseEvent): { schedule: string; timeZone: string | null } {
  const at = event.schedule.indexOf(TIME_ZONE);
  if (at < 0) return { schedule: event.schedule, timeZone: null };
  return { schedule: event.schedule.slice(0, at), timeZone: event.schedule.slice(at + TIME_ZONE.length, -1) };
}

export function eventClauses(event: DatabaseEvent, parts: { schedule?: boolean; completion?: boolean; status?: boolean; comment?: boolean; body?: boolean }): string[] {
  const clauses: string[] = [];
  if (parts.schedule) clauses.push(`ON SCHEDULE ${eventSchedule(event).schedule}`);
  if (parts.completion) clauses.push(`ON COMPLETION ${event.onCompletion.toUpperCase()}`);
  if (parts.status) clauses.push(STATUS_SQL[event.status] ?? 'ENABLE');
  if (parts.comment) clauses.push(`COMMENT ${quoteString(event.comment ?? '')}`);
  if (parts.body) clauses.push(`DO ${event.body}`);
  return clauses;
}

/** CREATE or ALTER EVENT, in the event's time zone when it has one of its own. */
export function eventStatement(event: DatabaseEvent, verb: 'CREATE' | 'ALTER', clauses: readonly string[], withDefiner: boolean): string {
  const statement = `${verb}${withDefiner ? definer(event.owner) : ''} EVENT ${quoteIdent(event.name)}\n  ${clauses.join('\n  ')}`;
  const block = clauses.some((c) => c.startsWith('DO ')) ? delimited([statement]) : `${statement};`;
  const { timeZone } = eventSchedule(event);
  if (timeZone === null || !clauses.some((c) => c.startsWith('ON SCHEDULE'))) return block;
  return [
    'SET @schemaguard_time_zone = @@time_zone;',
    `SET time_zone = ${quoteString(timeZone)};`,
    block,
    'SET time_zone = @schemaguard_time_zone;',
  ].join('\n');
}

export function createEvent(event: DatabaseEvent): string {
  const clauses = eventClauses(event, { schedule: true, completion: true, status: true, comment: event.comment !== null, body: true });
  return eventStatement(event, 'CREATE', clauses, true);
}

export function sequenceOptions(sequence: Sequence): string {
  return [
    `START WITH ${sequence.start}`,
    `MINVALUE ${sequence.min}`,
    `MAXVALUE ${sequence.max}`,
    `INCREMENT BY ${sequence.increment}`,
    `CACHE ${sequence.cache}`,
    sequence.cycle ? 'CYCLE' : 'NOCYCLE',
  ].join(' ');
}

export function createSequence(sequence: Sequence): string {
  const type = sequence.dataType === 'bigint' ? '' : ` AS ${sequence.dataType}`;
  const comment = sequence.comment === null ? '' : ` COMMENT=${quoteString(sequence.comment)}`;
  return `CREATE SEQUENCE ${tableName(sequence.schema, sequence.name)}${type} ${sequenceOptions(sequence)}${comment}`;
}
