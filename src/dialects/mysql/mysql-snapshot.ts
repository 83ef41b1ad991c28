import type { Kysely } from 'kysely';
import { canonicalizeSnapshot } from '../../snapshot/canonical.js';
import {
  DATABASE_NAMESPACE,
  SNAPSHOT_FORMAT,
  SNAPSHOT_FORMAT_VERSION,
  type CheckConstraint,
  type Column,
  type DatabaseEvent,
  type ForeignKey,
  type Grant,
  type Index,
  type IndexKey,
  type ReferentialAction,
  type Routine,
  type SchemaSnapshot,
  type Sequence,
  type Table,
  type Trigger,
  type View,
} from '../../snapshot/model.js';
import type { CaptureOptions } from '../dialect.js';
import type { ServerInfo } from '../engine.js';
import { quoteMysqlIdentifier } from './mysql-admin.js';
import {
  readMysqlCatalog,
  type MysqlCatalog,
  type RawCheck,
  type RawColumn,
  type RawEvent,
  type RawForeignKeyColumn,
  type RawForeignKeyRule,
  type RawIndexColumn,
  type RawParameter,
  type RawPrivilege,
  type RawRoutine,
  type RawTable,
  type RawTrigger,
  type RawView,
} from './mysql-catalog.js';
import { columnDefault, columnGenerated, columnOnUpdate, isAutoIncrement } from './mysql-columns.js';
import { mysqlFeatures, type MysqlFeatures } from './mysql-flavour.js';
import { foldPartitions } from './mysql-partitions.js';
import { stripDatabaseQualifier } from './mysql-qualifiers.js';
import { normalizeMysqlType } from './mysql-types.js';

/**
 * Reads the connected database's catalog in one read-only REPEATABLE READ transaction and
 * folds it into a snapshot. The database is the namespace `main`; `options.schemas` does not
 * apply (a MySQL connection sees one database, the one in its URL).
 */
export async function captureMysqlSchema(db: Kysely<any>, server: ServerInfo, _options: CaptureOptions): Promise<SchemaSnapshot> {
  const features = mysqlFeatures(server);
  const catalog = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((trx) => readMysqlCatalog(trx, features));
  return foldMysqlCatalog(catalog, server, features);
}

const key = (...parts: string[]): string => parts.join('\u0000');

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [row]);
    else group.push(row);
  }
  return groups;
}

/** information_schema writes "no comment" as an empty string. */
const comment = (text: string | null): string | null => (text === null || text === '' ? null : text);

const REFERENTIAL_ACTIONS: Record<string, ReferentialAction> = {
  'NO ACTION': 'no action',
  RESTRICT: 'restrict',
  CASCADE: 'cascade',
  'SET NULL': 'set null',
  'SET DEFAULT': 'set default',
};

/** Folds the raw catalog rows into the shared model. Pure: no I/O. */
export function foldMysqlCatalog(catalog: MysqlCatalog, server: ServerInfo, features: MysqlFeatures = mysqlFeatures(server)): SchemaSnapshot {
  const database = catalog.database.name;
  const strip = (text: string) => stripDatabaseQualifier(text, database);
  const columnsByTable = groupBy(catalog.columns, (c) => c.table_name);
  const indexColumnsByTable = groupBy(catalog.indexColumns, (i) => i.table_name);
  const foreignKeyColumnsByTable = groupBy(catalog.foreignKeyColumns, (f) => f.table_name);
  const foreignKeyRules = new Map(catalog.foreignKeyRules.map((r) => [key(r.table_name, r.name), r]));
  const checksByTable = groupBy(catalog.checks, (c) => c.table_name);
  const partitionsByTable = groupBy(catalog.partitions, (p) => p.table_name);
  const viewsByName = new Map(catalog.views.map((v) => [v.name, v]));
  const sequenceSettings = new Map(catalog.sequences.map((s) => [s.name, s]));
  const grantsOn = grantsByObject(catalog.privileges);

  const tables: Table[] = [];
  const views: View[] = [];
  const sequences: Sequence[] = [];
  // information_schema is not transactional: an object created or dropped between two of the
  // queries can lack its second half (a view without its VIEWS row); it is left out rather
  // than described by half.
  for (const raw of catalog.tables) {
    const rawColumns = columnsByTable.get(raw.name) ?? [];
    if (raw.table_type === 'VIEW') {
      const view = viewsByName.get(raw.name);
      if (view !== undefined) views.push({ ...toView(view, rawColumns, strip), grants: grantsOn(raw.name) });
      continue;
    }
    if (raw.table_type === 'SEQUENCE') {
      const settings = sequenceSettings.get(raw.name);
      if (settings === undefined) continue;
      const valueColumn = rawColumns.find((c) => c.name === 'minimum_value');
      sequences.push({
        schema: DATABASE_NAMESPACE,
        name: raw.name,
        // bigint up to MariaDB 11.4; 11.5+ declares the type with AS (read from the table's columns, untested here).
        dataType: valueColumn === undefined ? 'bigint' : integerTypeName(valueColumn),
        start: String(settings.start),
        increment: String(settings.increment),
        min: String(settings.min),
        max: String(settings.max),
        cache: String(settings.cache),
        cycle: Number(settings.cycle) !== 0,
        ownedBy: null,
        comment: comment(raw.comment),
        owner: null,
        grants: grantsOn(raw.name),
      });
      continue;
    }
    const checks = checksByTable.get(raw.name) ?? [];
    tables.push({
      schema: DATABASE_NAMESPACE,
      name: raw.name,
      columns: rawColumns.map((c) => toColumn(c, checks, features, database)),
      ...toKeys(indexColumnsByTable.get(raw.name) ?? [], features, strip),
      uniqueConstraints: [],
      foreignKeys: toForeignKeys(foreignKeyColumnsByTable.get(raw.name) ?? [], foreignKeyRules, database),
      checks: checks.map((c) => toCheck(c, strip)),
      exclusions: [],
      policies: [],
      partitioning: foldPartitions(partitionsByTable.get(raw.name) ?? [], database),
      partitionOf: null,
      inherits: [],
      options: tableOptions(raw),
      comment: comment(raw.comment),
      // MySQL tables have no owner; what others may do with them is granted.
      owner: null,
      grants: grantsOn(raw.name),
    });
  }

  return canonicalizeSnapshot({
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    engine: 'mysql',
    server: { product: server.product, version: server.version },
    namespaces: [{ name: DATABASE_NAMESPACE, comment: comment(catalog.database.comment), owner: null, grants: grantsOn(null) }],
    tables,
    views,
    sequences,
    types: [],
    routines: toRoutines(catalog.routines, catalog.parameters),
    triggers: catalog.triggers.map(toTrigger),
    extensions: [],
    events: catalog.events.map(toEvent),
    rules: [],
    eventTriggers: [],
  });
}

/**
 * Grants by the object they are on (`null`: the database itself). They are stored without
 * the database name the catalog rows carry, so two databases granted alike compare equal.
 */
function grantsByObject(rows: readonly RawPrivilege[]): (table: string | null) => Grant[] {
  const byObject = groupBy(rows, (row) => (row.table_name === null ? '' : key('table', row.table_name)));
  return (table) =>
    (byObject.get(table === null ? '' : key('table', table)) ?? []).map((row) => ({
      grantee: row.grantee,
      privilege: row.privilege,
      grantable: row.is_grantable === 'YES',
    }));
}

/** `bigint(21) unsigned` → `bigint unsigned`: the value type without display width. */
function integerTypeName(column: RawColumn): string {
  return column.column_type.toLowerCase().includes('unsigned') ? `${column.data_type} unsigned` : column.data_type;
}

function toColumn(row: RawColumn, checks: readonly RawCheck[], features: MysqlFeatures, database: string): Column {
  const generated = columnGenerated(row);
  return {
    name: row.name,
    ordinal: Number(row.ordinal),
    type: row.column_type,
    normalizedType: normalizeMysqlType(row.data_type, row.column_type, isMariadbJson(row, checks)),
    nullable: row.is_nullable === 'YES',
    default: columnDefault(row, features, database),
    identity: null,
    autoIncrement: isAutoIncrement(row),
    generated: generated === null ? null : { ...generated, expression: stripDatabaseQualifier(generated.expression, database) },
    collation: row.collation,
    charset: row.charset,
    onUpdate: columnOnUpdate(row),
    comment: comment(row.comment),
  };
}

/** MariaDB's JSON type is LONGTEXT plus a column check `json_valid(`col`)` named after the column. */
function isMariadbJson(row: RawColumn, checks: readonly RawCheck[]): boolean {
  const clause = `json_valid(${quoteMysqlIdentifier(row.name)})`;
  return checks.some((c) => c.name === row.name && c.clause === clause);
}

/**
 * CREATE_OPTIONS holds only what CREATE/ALTER TABLE set explicitly (`row_format=COMPACT
 * stats_persistent=1`), never counters. `partitioned` is left out: partitioning says it.
 * Engine, charset and collation are always recorded: a server default differs between
 * servers, and the table keeps what it was created with.
 */
function tableOptions(raw: RawTable): Record<string, string> {
  const options: Record<string, string> = {};
  if (raw.engine !== null) options.engine = raw.engine;
  if (raw.collation !== null) {
    options.collation = raw.collation;
    // Character set names never contain an underscore; every collation starts with its set's name.
    options.charset = raw.collation.split('_')[0]!;
  }
  for (const [name, value] of parseCreateOptions(raw.create_options ?? '')) {
    if (name !== 'partitioned') options[name] = value;
  }
  if (raw.table_type === 'SYSTEM VERSIONED') options.system_versioning = 'true';
  return options;
}

/**
 * `row_format=COMPACT `page_compressed`=1 COMPRESSION="zlib"` → pairs with lowercase names and
 * unquoted values. Values are quoted when they hold spaces, so the split respects quotes.
 */
function parseCreateOptions(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  const tokens: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (const ch of text) {
    if (quote !== null) {
      current += ch;
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      current += ch;
      quote = ch;
    } else if (ch === ' ') {
      if (current !== '') tokens.push(current);
      current = '';
    } else current += ch;
  }
  if (current !== '') tokens.push(current);
  const unquote = (part: string) => (part.length >= 2 && `'"\``.includes(part[0]!) && part.endsWith(part[0]!) ? part.slice(1, -1) : part);
  for (const token of tokens) {
    const at = token.indexOf('=');
    if (at < 0) pairs.push([unquote(token).toLowerCase(), 'true']);
    else pairs.push([unquote(token.slice(0, at)).toLowerCase(), unquote(token.slice(at + 1))]);
  }
  return pairs;
}

/**
 * STATISTICS rows → the primary key and every other index. Unique keys are indexes with
 * `unique: true` (MySQL treats them as indexes; `uniqueConstraints` stays empty).
 */
function toKeys(
  rows: readonly RawIndexColumn[],
  features: MysqlFeatures,
  strip: (text: string) => string,
): Pick<Table, 'primaryKey' | 'indexes'> {
  let primaryKey: Table['primaryKey'] = null;
  const indexes: Index[] = [];
  for (const [name, group] of groupBy(rows, (r) => r.index_name)) {
    const parts = [...group].sort((a, b) => Number(a.seq_in_index) - Number(b.seq_in_index));
    const head = parts[0]!;
    if (name === 'PRIMARY') {
      primaryKey = { name, columns: parts.map((p) => p.column_name ?? '') };
      continue;
    }
    const options: Record<string, string> = {};
    // MariaDB calls an index the optimizer may not use IGNORED, MySQL INVISIBLE.
    if (head.hidden === 'YES') options[features.flavour === 'MariaDB' ? 'ignored' : 'invisible'] = 'true';
    if (head.status_comment === 'disabled') options.disabled = 'true';
    indexes.push({
      name,
      unique: Number(head.non_unique) === 0,
      method: head.index_type,
      keys: parts.map((part) => toIndexKey(part, strip)),
      include: [],
      predicate: null,
      nullsNotDistinct: false,
      options,
      comment: comment(head.index_comment),
    });
  }
  return { primaryKey, indexes };
}

function toIndexKey(row: RawIndexColumn, strip: (text: string) => string): IndexKey {
  const common = {
    order: row.collation === 'D' ? ('desc' as const) : ('asc' as const),
    nulls: null,
    opclass: null,
    collation: null,
    // MariaDB reports a SUB_PART of 32 on every SPATIAL key; no prefix can be declared there.
    prefixLength: row.sub_part === null || row.index_type === 'SPATIAL' ? null : Number(row.sub_part),
  };
  return row.column_name === null
    ? { kind: 'expression', expression: strip(row.expression ?? ''), ...common }
    : { kind: 'column', column: row.column_name, ...common };
}

function toForeignKeys(
  rows: readonly RawForeignKeyColumn[],
  rules: ReadonlyMap<string, RawForeignKeyRule>,
  database: string,
): ForeignKey[] {
  return [...groupBy(rows, (r) => r.name).entries()].map(([name, group]) => {
    const parts = [...group].sort((a, b) => Number(a.position) - Number(b.position));
    const head = parts[0]!;
    const rule = rules.get(key(head.table_name, name));
    return {
      name,
      columns: parts.map((p) => p.column_name),
      referencedSchema: head.referenced_schema === database ? DATABASE_NAMESPACE : head.referenced_schema,
      referencedTable: head.referenced_table,
      referencedColumns: parts.map((p) => p.referenced_column),
      onUpdate: REFERENTIAL_ACTIONS[rule?.update_rule ?? ''] ?? 'no action',
      onDelete: REFERENTIAL_ACTIONS[rule?.delete_rule ?? ''] ?? 'no action',
      match: 'simple',
      deferrable: 'not deferrable',
      validated: true,
      comment: null,
    };
  });
}

/** A MySQL CHECK … NOT ENFORCED is recorded as not validated: the server does not check it. */
function toCheck(row: RawCheck, strip: (text: string) => string): CheckConstraint {
  return { name: row.name, expression: strip(row.clause), validated: row.enforced !== 'NO', comment: null };
}

function toView(row: RawView, columns: readonly RawColumn[], strip: (text: string) => string): View {
  const options: Record<string, string> = { security: row.security_type.toLowerCase() };
  if (row.algorithm !== null) options.algorithm = row.algorithm.toLowerCase();
  const checkOption = row.check_option.toLowerCase();
  return {
    schema: DATABASE_NAMESPACE,
    name: row.name,
    materialized: false,
    definition: strip(row.definition).trim(),
    columns: [...columns].sort((a, b) => Number(a.ordinal) - Number(b.ordinal)).map((c) => ({ name: c.name, type: c.column_type })),
    checkOption: checkOption === 'local' || checkOption === 'cascaded' ? checkOption : null,
    options,
    indexes: [],
    comment: null,
    owner: row.definer,
  };
}

/** `varchar(20)` plus its character set and collation, which are part of the declared type. */
function declaredType(type: string, charset: string | null, collation: string | null): string {
  if (charset === null) return type;
  return collation === null ? `${type} CHARSET ${charset}` : `${type} CHARSET ${charset} COLLATE ${collation}`;
}

function toRoutines(routines: readonly RawRoutine[], parameters: readonly RawParameter[]): Routine[] {
  const parametersByRoutine = groupBy(parameters, (p) => key(p.routine_kind, p.routine_name));
  return routines.map((row) => {
    const params = [...(parametersByRoutine.get(key(row.kind, row.name)) ?? [])].sort((a, b) => Number(a.position) - Number(b.position));
    const isFunction = row.kind === 'FUNCTION';
    // A function's parameters are always IN and cannot say so; a procedure's mode is part of it.
    const argument = (p: RawParameter) =>
      `${isFunction ? '' : `${p.mode ?? 'IN'} `}${quoteIfNeeded(p.name)} ${declaredType(p.type, p.charset, p.collation)}`;
    return {
      schema: DATABASE_NAMESPACE,
      name: row.name,
      kind: isFunction ? 'function' : 'procedure',
      signature: `${row.name}(${params.map((p) => p.type).join(', ')})`,
      arguments: params.map(argument).join(', '),
      returns: isFunction && row.returns !== null ? declaredType(row.returns, row.returns_charset, row.returns_collation) : null,
      language: 'SQL',
      body: row.body ?? '',
      volatility: null,
      security: row.security_type.toLowerCase() === 'invoker' ? 'invoker' : 'definer',
      strict: null,
      parallel: null,
      deterministic: row.is_deterministic === 'YES',
      dataAccess: row.data_access,
      // The sql_mode a routine was created under governs how its body runs (strictness, quoting).
      settings: [`sql_mode=${row.sql_mode}`],
      comment: comment(row.comment),
      owner: row.definer,
    };
  });
}

/** Parameter names are shown bare unless they need backquotes to read back as one name. */
function quoteIfNeeded(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quoteMysqlIdentifier(name);
}

const TRIGGER_EVENTS: Record<string, Trigger['events'][number]> = { INSERT: 'insert', UPDATE: 'update', DELETE: 'delete' };

function toTrigger(row: RawTrigger): Trigger {
  // One event per trigger up to MariaDB 11 / MySQL 8; a list is read in case a server writes `INSERT,UPDATE`.
  const events = row.event
    .split(',')
    .map((event) => TRIGGER_EVENTS[event.trim().toUpperCase()])
    .filter((event): event is Trigger['events'][number] => event !== undefined);
  return {
    schema: DATABASE_NAMESPACE,
    table: row.table_name,
    name: row.name,
    timing: row.timing.toUpperCase() === 'BEFORE' ? 'before' : 'after',
    events,
    updateColumns: [],
    level: row.orientation.toUpperCase() === 'STATEMENT' ? 'statement' : 'row',
    condition: null,
    action: row.statement,
    function: null,
    enabled: 'origin',
    constraintTrigger: null,
    order: Number(row.action_order),
    comment: null,
    owner: row.definer,
  };
}

/**
 * The schedule as CREATE EVENT writes it: `AT '…'` or `EVERY n UNIT [STARTS '…'] [ENDS '…']`.
 * STARTS is what the server stored — the creation time when the statement gave none — so
 * two databases agree only if their events were created with the same explicit STARTS (a
 * dump keeps it). Times are in the event's time zone, named unless it is SYSTEM.
 */
function eventSchedule(row: RawEvent): string {
  const parts =
    row.event_type === 'ONE TIME'
      ? [`AT '${row.execute_at ?? ''}'`]
      : [
          `EVERY ${row.interval_value ?? ''} ${row.interval_field ?? ''}`,
          ...(row.starts === null ? [] : [`STARTS '${row.starts}'`]),
          ...(row.ends === null ? [] : [`ENDS '${row.ends}'`]),
        ];
  if (row.time_zone !== 'SYSTEM') parts.push(`TIME ZONE '${row.time_zone}'`);
  return parts.join(' ');
}

function toEvent(row: RawEvent): DatabaseEvent {
  return {
    schema: DATABASE_NAMESPACE,
    name: row.name,
    schedule: eventSchedule(row),
    status: row.status.toLowerCase(),
    onCompletion: row.on_completion.toUpperCase() === 'NOT PRESERVE' ? 'not preserve' : 'preserve',
    body: row.definition,
    comment: comment(row.comment),
    owner: row.definer,
  };
}
