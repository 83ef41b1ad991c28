import { sql, type Kysely } from 'kysely';
import type {
  CheckConstraint,
  Column,
  Deferrable,
  Identity,
  Index,
  IndexKey,
  ReferentialAction,
  SchemaSnapshot,
  Sequence,
  Table,
  Trigger,
  UserType,
  View,
} from '../../snapshot/model.js';
import { canonicalizeSnapshot } from '../../snapshot/canonical.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_VERSION } from '../../snapshot/model.js';
import type { CaptureOptions } from '../dialect.js';
import type { ServerInfo } from '../engine.js';
import {
  CANONICAL_RENDERING_SETTINGS,
  readPostgresCatalog,
  type PostgresCatalog,
  type RawColumn,
  type RawConstraint,
  type RawIndex,
  type RawRelation,
  type RawTrigger,
} from './postgres-catalog.js';

/** Column names, collations, operator classes and collation names, looked up by number or oid. */
class AttributeDirectory {
  readonly #names = new Map<string, Map<number, string>>();
  readonly #collations = new Map<string, Map<number, string>>();
  readonly #opclasses: Map<string, string>;
  readonly #collationNames: Map<string, string>;

  constructor(catalog: PostgresCatalog) {
    for (const column of [...catalog.columns, ...catalog.foreignAttributes]) {
      this.#entry(this.#names, column.relid).set(column.attnum, column.name);
    }
    for (const column of catalog.columns) this.#entry(this.#collations, column.relid).set(column.attnum, column.collation_oid);
    this.#opclasses = new Map(catalog.opclasses.map((o) => [o.oid, o.name]));
    this.#collationNames = new Map(catalog.collations.map((c) => [c.oid, c.name]));
  }

  #entry(map: Map<string, Map<number, string>>, relid: string): Map<number, string> {
    let entry = map.get(relid);
    if (entry === undefined) map.set(relid, (entry = new Map()));
    return entry;
  }

  name(relid: string, attnum: number): string {
    return this.#names.get(relid)?.get(attnum) ?? `#${attnum}`;
  }

  names(relid: string, attnums: readonly number[] | null): string[] {
    return (attnums ?? []).map((attnum) => this.name(relid, attnum));
  }

  /** The collation oid of a column, or the database default (oid 100) for an expression. */
  columnCollation(relid: string, attnum: number): string {
    return attnum === 0 ? DEFAULT_COLLATION_OID : this.#collations.get(relid)?.get(attnum) ?? DEFAULT_COLLATION_OID;
  }

  /** The name of a non-default operator class; null for the type's default. */
  opclass(oid: string): string | null {
    return this.#opclasses.get(oid) ?? null;
  }

  collationName(oid: string): string | null {
    return this.#collationNames.get(oid) ?? null;
  }
}

/** pg_collation's "default": the database's own collation, the same oid in every release. */
const DEFAULT_COLLATION_OID = '100';
import { normalizePostgresType } from './postgres-types.js';
import { grantsFromAcl } from './postgres-acl.js';

const ownership = (row: { owner: string | null; acl: string[] | null }) => ({
  owner: row.owner,
  grants: grantsFromAcl(row.acl, row.owner),
});

/** Reads the catalog in one read-only REPEATABLE READ transaction and folds it into a snapshot. */
export async function capturePostgresSchema(
  db: Kysely<any>,
  server: ServerInfo,
  versionNumber: number,
  options: CaptureOptions,
): Promise<SchemaSnapshot> {
  const catalog = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      for (const setting of CANONICAL_RENDERING_SETTINGS) await sql.raw(setting).execute(trx);
      return readPostgresCatalog(trx, versionNumber, options.schemas);
    });
  return foldPostgresCatalog(catalog, server);
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

const REFERENTIAL_ACTIONS: Record<string, ReferentialAction> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

function deferrable(isDeferrable: boolean, isDeferred: boolean): Deferrable {
  if (!isDeferrable) return 'not deferrable';
  return isDeferred ? 'initially deferred' : 'initially immediate';
}

/** `{fillfactor=70,autovacuum_enabled=off}` → `{ fillfactor: '70', … }` */
function parseOptions(options: readonly string[] | null): Record<string, string> {
  const result: Record<string, string> = {};
  for (const option of options ?? []) {
    const at = option.indexOf('=');
    if (at > 0) result[option.slice(0, at)] = option.slice(at + 1);
  }
  return result;
}

/** Folds the raw catalog rows into the shared model. Pure: no I/O. */
export function foldPostgresCatalog(catalog: PostgresCatalog, server: ServerInfo): SchemaSnapshot {
  const directory = new AttributeDirectory(catalog);
  const columnsByRelation = groupBy(catalog.columns, (c) => c.relid);
  for (const columns of columnsByRelation.values()) columns.sort((a, b) => a.attnum - b.attnum);
  const constraintsByOwner = groupBy(catalog.constraints, (c) => key(c.owner_kind, c.schema, c.owner_name));
  const indexesByRelation = groupBy(catalog.indexes, (i) => i.relid);
  const parentsByRelation = groupBy(
    [...catalog.inheritance].sort((a, b) => a.position - b.position),
    (i) => i.relid,
  );
  const compositeAttributes = groupBy(
    catalog.columns.filter((c) => c.relkind === 'c'),
    (c) => key(c.schema, c.table_name),
  );
  const policiesByTable = groupBy(catalog.policies, (p) => key(p.schema, p.table_name));
  const identityByColumn = new Map<string, Identity>();
  const sequences: Sequence[] = [];

  for (const row of catalog.sequences) {
    if (row.owner_dep === 'i' && row.owner_schema !== null && row.owner_table !== null && row.owner_column !== null) {
      identityByColumn.set(key(row.owner_schema, row.owner_table, row.owner_column), {
        generation: 'by default', // replaced by the column's own attidentity below
        start: row.start,
        increment: row.increment,
        min: row.min,
        max: row.max,
        cache: row.cache,
        cycle: row.cycle,
      });
      continue;
    }
    sequences.push({
      schema: row.schema,
      name: row.name,
      dataType: row.data_type,
      start: row.start,
      increment: row.increment,
      min: row.min,
      max: row.max,
      cache: row.cache,
      cycle: row.cycle,
      ...ownership(row),
      ownedBy:
        row.owner_dep === 'a' && row.owner_table !== null && row.owner_column !== null
          ? { table: row.owner_schema === row.schema ? row.owner_table : `${row.owner_schema}.${row.owner_table}`, column: row.owner_column }
          : null,
      comment: row.comment,
    });
  }

  // Ordinals count live columns only: a dropped column leaves no gap, as in a restored dump.
  const toColumn = (row: RawColumn, position: number): Column => {
    const identity = identityByColumn.get(key(row.schema, row.table_name, row.name));
    return {
      name: row.name,
      ordinal: position + 1,
      type: row.type,
      normalizedType:
        row.domain_base_type === null
          ? normalizePostgresType(row.type, row.type_kind)
          : normalizePostgresType(row.domain_base_type, row.domain_base_kind ?? 'b'),
      nullable: !row.not_null,
      default: row.default_expr,
      identity:
        row.identity === 'a' || row.identity === 'd'
          ? {
              ...(identity ?? { start: '1', increment: '1', min: '1', max: '', cache: '1', cycle: false }),
              generation: row.identity === 'a' ? 'always' : 'by default',
            }
          : null,
      autoIncrement: false,
      generated:
        row.generated === 's' || row.generated === 'v'
          ? { expression: row.generated_expr ?? '', storage: row.generated === 's' ? 'stored' : 'virtual' }
          : null,
      collation: row.collation,
      charset: null,
      onUpdate: null,
      comment: row.comment,
    };
  };

  const tables: Table[] = [];
  const views: View[] = [];
  for (const relation of catalog.relations) {
    const columns = (columnsByRelation.get(relation.relid) ?? []).map(toColumn);
    const indexes = (indexesByRelation.get(relation.relid) ?? []).map((index) => toIndex(index, directory));
    if (relation.kind === 'v' || relation.kind === 'm') {
      views.push(toView(relation, columns, indexes));
      continue;
    }
    const constraints = constraintsByOwner.get(key('table', relation.schema, relation.name)) ?? [];
    const parents = (parentsByRelation.get(relation.relid) ?? []).map((p) => p.parent);
    const policies = policiesByTable.get(key(relation.schema, relation.name)) ?? [];
    tables.push(toTable(relation, { columns, indexes, constraints, policies, parents }, directory));
  }

  const constraintChecks = (rows: readonly RawConstraint[]): CheckConstraint[] =>
    rows
      .filter((c) => c.type === 'c')
      .map((c) => ({ name: c.name, expression: c.check_expr ?? c.definition ?? '', validated: c.validated, comment: c.comment }));

  const types: UserType[] = catalog.types.map((row): UserType => {
    const common = { schema: row.schema, name: row.name, comment: row.comment, ...ownership(row) };
    switch (row.kind) {
      case 'e':
        return { kind: 'enum', ...common, values: row.enum_values };
      case 'd':
        return {
          kind: 'domain',
          ...common,
          baseType: row.base_type ?? '',
          nullable: !row.not_null,
          default: row.default_expr,
          collation: row.collation,
          checks: constraintChecks(constraintsByOwner.get(key('domain', row.schema, row.name)) ?? []),
        };
      case 'c':
        return {
          kind: 'composite',
          ...common,
          attributes: (compositeAttributes.get(key(row.schema, row.name)) ?? [])
            .sort((a, b) => a.attnum - b.attnum)
            .map((a) => ({ name: a.name, type: a.type, collation: a.collation })),
        };
      case 'r':
        return { kind: 'range', ...common, subtype: row.range_subtype ?? '' };
    }
  });

  return canonicalizeSnapshot({
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    engine: 'postgres',
    server: { product: server.product, version: server.version },
    namespaces: catalog.namespaces.map((n) => ({ name: n.name, comment: n.comment, ...ownership(n) })),
    tables,
    views,
    sequences,
    types,
    routines: catalog.routines.map((r) => ({
      schema: r.schema,
      name: r.name,
      kind: ({ f: 'function', p: 'procedure', a: 'aggregate', w: 'window' } as const)[r.kind],
      signature: r.signature,
      arguments: r.arguments,
      returns: r.returns,
      language: r.language,
      body: r.body,
      volatility: r.kind === 'p' ? null : ({ i: 'immutable', s: 'stable', v: 'volatile' } as const)[r.volatility],
      security: r.security_definer ? 'definer' : 'invoker',
      strict: r.kind === 'p' ? null : r.strict,
      parallel: r.kind === 'p' ? null : ({ s: 'safe', r: 'restricted', u: 'unsafe' } as const)[r.parallel],
      deterministic: null,
      dataAccess: null,
      settings: r.settings ?? [],
      comment: r.comment,
      ...ownership(r),
    })),
    triggers: catalog.triggers.map((trigger) => toTrigger(trigger, directory)),
    extensions: catalog.extensions.map((e) => ({ name: e.name, schema: e.schema, version: e.version })),
    events: [],
    rules: catalog.rules.map((r) => ({ schema: r.schema, table: r.table_name, name: r.name, definition: r.definition, comment: r.comment })),
    eventTriggers: catalog.eventTriggers.map((e) => ({
      name: e.name,
      event: e.event,
      tags: e.tags ?? [],
      function: e.function_name,
      enabled: ENABLED[e.enabled],
      comment: e.comment,
    })),
  });
}

const ENABLED = { O: 'origin', D: 'disabled', R: 'replica', A: 'always' } as const;

interface TableParts {
  readonly columns: Column[];
  readonly indexes: Index[];
  readonly constraints: readonly RawConstraint[];
  readonly policies: readonly PostgresCatalog['policies'][number][];
  /** Qualified parents in inheritance order; a partition's single parent is its partitioned table. */
  readonly parents: readonly string[];
}

function toTable(relation: RawRelation, parts: TableParts, directory: AttributeDirectory): Table {
  const { columns, indexes, constraints, policies, parents } = parts;
  const options = parseOptions(relation.reloptions);
  if (relation.persistence === 'u') options.persistence = 'unlogged';
  if (relation.row_security) options.row_security = relation.force_row_security ? 'forced' : 'enabled';
  if (relation.access_method !== null && relation.access_method !== 'heap') options.access_method = relation.access_method;
  if (relation.kind === 'f') {
    options.foreign_server = relation.foreign_server ?? '';
    for (const [name, value] of Object.entries(parseOptions(relation.foreign_options))) options[`foreign.${name}`] = value;
  }
  const primary = constraints.find((c) => c.type === 'p');
  return {
    schema: relation.schema,
    name: relation.name,
    columns,
    primaryKey:
      primary === undefined
        ? null
        : { name: primary.name, columns: directory.names(primary.relid, primary.column_numbers), comment: primary.comment },
    uniqueConstraints: constraints
      .filter((c) => c.type === 'u')
      .map((c) => ({
        name: c.name,
        columns: directory.names(c.relid, c.column_numbers),
        nullsNotDistinct: c.nulls_not_distinct,
        deferrable: deferrable(c.deferrable, c.deferred),
        comment: c.comment,
      })),
    foreignKeys: constraints
      .filter((c) => c.type === 'f')
      .map((c) => ({
        name: c.name,
        columns: directory.names(c.relid, c.column_numbers),
        referencedSchema: c.ref_schema ?? relation.schema,
        referencedTable: c.ref_table ?? '',
        referencedColumns: directory.names(c.ref_relid, c.ref_column_numbers),
        onUpdate: REFERENTIAL_ACTIONS[c.on_update] ?? 'no action',
        onDelete: REFERENTIAL_ACTIONS[c.on_delete] ?? 'no action',
        match: c.match_type === 'f' ? 'full' : c.match_type === 'p' ? 'partial' : 'simple',
        deferrable: deferrable(c.deferrable, c.deferred),
        validated: c.validated,
        comment: c.comment,
      })),
    checks: constraints
      .filter((c) => c.type === 'c')
      .map((c) => ({ name: c.name, expression: c.check_expr ?? c.definition ?? '', validated: c.validated, comment: c.comment })),
    exclusions: constraints
      .filter((c) => c.type === 'x')
      .map((c) => ({ name: c.name, definition: c.definition ?? '', deferrable: deferrable(c.deferrable, c.deferred), comment: c.comment })),
    indexes,
    policies: policies.map((p) => ({
      name: p.name,
      permissive: p.permissive,
      command: ({ r: 'select', a: 'insert', w: 'update', d: 'delete', '*': 'all' } as const)[p.command],
      roles: p.roles,
      using: p.using_expr,
      withCheck: p.check_expr,
      comment: p.comment,
    })),
    partitioning: relation.partition_key === null ? null : parsePartitionKey(relation.partition_key),
    partitionOf:
      relation.is_partition && parents[0] !== undefined
        ? { ...splitQualified(parents[0]), bound: relation.partition_bound ?? '' }
        : null,
    inherits: relation.is_partition ? [] : [...parents],
    options,
    comment: relation.comment,
    ...ownership(relation),
  };
}

/** `RANGE (payment_date)` → strategy `range`, key `payment_date`. */
function parsePartitionKey(definition: string): Table['partitioning'] {
  const space = definition.indexOf(' ');
  const strategy = definition.slice(0, space).toLowerCase();
  const keyText = definition.slice(space + 1).trim().replace(/^\((.*)\)$/s, '$1');
  return {
    strategy: strategy === 'list' ? 'list' : strategy === 'hash' ? 'hash' : 'range',
    key: keyText,
    partitions: [],
    subpartitioning: null,
  };
}

/** `"my schema".film` → { schema, table }, undoing quote_ident. */
function splitQualified(qualified: string): { schema: string; table: string } {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < qualified.length; i += 1) {
    const ch = qualified[i]!;
    if (quoted) {
      if (ch === '"' && qualified[i + 1] === '"') {
        current += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === '.') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return { schema: parts[0] ?? '', table: parts[1] ?? '' };
}

function toView(relation: RawRelation, columns: Column[], indexes: Index[]): View {
  const options = parseOptions(relation.reloptions);
  const checkOption = options.check_option;
  delete options.check_option;
  return {
    schema: relation.schema,
    name: relation.name,
    materialized: relation.kind === 'm',
    definition: (relation.view_definition ?? '').trim(),
    columns: columns.map((c) => ({ name: c.name, type: c.type })),
    checkOption: checkOption === 'local' || checkOption === 'cascaded' ? checkOption : null,
    options,
    indexes,
    comment: relation.comment,
    ...ownership(relation),
  };
}

function toIndex(row: RawIndex, directory: AttributeDirectory): Index {
  const keys: IndexKey[] = [];
  for (let position = 0; position < row.key_count; position += 1) {
    const attnum = row.key_attnums[position] ?? 0;
    const option = row.key_options[position] ?? 0;
    const descending = (option & 1) !== 0;
    const nullsFirst = (option & 2) !== 0;
    const collationOid = row.collation_oids[position] ?? '0';
    const common = {
      order: descending ? ('desc' as const) : ('asc' as const),
      // Default placement: NULLS LAST for ASC, NULLS FIRST for DESC.
      nulls: nullsFirst === descending ? null : nullsFirst ? ('first' as const) : ('last' as const),
      opclass: directory.opclass(row.opclass_oids[position] ?? '0'),
      // Only a collation that differs from the column's (or, for an expression, the default) is news.
      collation:
        collationOid === '0' || collationOid === directory.columnCollation(row.relid, attnum) ? null : directory.collationName(collationOid),
      prefixLength: null,
    };
    keys.push(
      attnum === 0
        ? { kind: 'expression', expression: row.expression_defs?.[position] ?? '', ...common }
        : { kind: 'column', column: directory.name(row.relid, attnum), ...common },
    );
  }
  const options = parseOptions(row.reloptions);
  if (!row.valid) options.valid = 'false';
  return {
    name: row.name,
    unique: row.is_unique,
    method: row.method,
    keys,
    include: row.key_attnums.slice(row.key_count).map((attnum) => directory.name(row.relid, attnum)),
    predicate: row.predicate,
    nullsNotDistinct: row.nulls_not_distinct,
    options,
    comment: row.comment,
  };
}

const TRIGGER_ROW = 1;
const TRIGGER_BEFORE = 2;
const TRIGGER_INSERT = 4;
const TRIGGER_DELETE = 8;
const TRIGGER_UPDATE = 16;
const TRIGGER_TRUNCATE = 32;
const TRIGGER_INSTEAD = 64;

function toTrigger(row: RawTrigger, directory: AttributeDirectory): Trigger {
  const bits = row.type_bits;
  const events: Trigger['events'] = [];
  if (bits & TRIGGER_INSERT) events.push('insert');
  if (bits & TRIGGER_UPDATE) events.push('update');
  if (bits & TRIGGER_DELETE) events.push('delete');
  if (bits & TRIGGER_TRUNCATE) events.push('truncate');
  const { condition, action } = splitTriggerDefinition(row.definition);
  return {
    schema: row.schema,
    table: row.table_name,
    name: row.name,
    timing: bits & TRIGGER_INSTEAD ? 'instead of' : bits & TRIGGER_BEFORE ? 'before' : 'after',
    events,
    updateColumns: directory.names(row.relid, row.update_column_numbers),
    level: bits & TRIGGER_ROW ? 'row' : 'statement',
    condition,
    action,
    function: row.function_name,
    enabled: ENABLED[row.enabled],
    constraintTrigger: row.is_constraint ? deferrable(row.deferrable, row.deferred) : null,
    order: null,
    comment: row.comment,
  };
}

/**
 * pg_get_triggerdef renders `… [REFERENCING …] FOR EACH ROW|STATEMENT [WHEN (cond)] EXECUTE FUNCTION f(args)`.
 * The action keeps REFERENCING and EXECUTE; the condition is the WHEN expression.
 */
function splitTriggerDefinition(definition: string): { condition: string | null; action: string } {
  const executeAt = definition.lastIndexOf(' EXECUTE ');
  const head = executeAt < 0 ? definition : definition.slice(0, executeAt);
  const execute = executeAt < 0 ? '' : definition.slice(executeAt + 1);
  const referencingAt = head.indexOf(' REFERENCING ');
  const forEachAt = head.indexOf(' FOR EACH ');
  const referencing = referencingAt < 0 ? '' : `${head.slice(referencingAt + 1, forEachAt < 0 ? undefined : forEachAt)} `;
  const whenAt = head.indexOf(' WHEN (', forEachAt < 0 ? 0 : forEachAt);
  const condition = whenAt < 0 ? null : head.slice(whenAt + ' WHEN ('.length, -1);
  return { condition, action: `${referencing}${execute}` };
}
