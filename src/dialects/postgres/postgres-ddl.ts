import type {
  CheckConstraint,
  Column,
  Deferrable,
  DomainType,
  ExclusionConstraint,
  ForeignKey,
  Grant,
  Index,
  IndexKey,
  Policy,
  PrimaryKey,
  Routine,
  Sequence,
  Table,
  Trigger,
  UniqueConstraint,
  UserType,
  View,
} from '../../snapshot/model.js';
import { dollarQuote, qualify, quoteIdent, quoteLiteral } from './postgres-quote.js';

/**
 * PostgreSQL DDL for snapshot objects: what `CREATE …` recreates each one. Expressions,
 * types and bodies come from the snapshot as the server rendered them (pg_get_expr,
 * format_type, pg_get_viewdef), so they parse back to the same thing.
 */

export function deferrableClause(deferrable: Deferrable): string {
  switch (deferrable) {
    case 'not deferrable':
      return '';
    case 'initially immediate':
      return ' DEFERRABLE INITIALLY IMMEDIATE';
    case 'initially deferred':
      return ' DEFERRABLE INITIALLY DEFERRED';
  }
}

export function identityClause(column: Column): string {
  const identity = column.identity;
  if (identity === null) return '';
  const options = sequenceOptions({ ...identity, dataType: null });
  return ` GENERATED ${identity.generation === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${options === '' ? '' : ` (${options})`}`;
}

/** `INCREMENT BY 5 MINVALUE 1 …` for a sequence or an identity column. */
export function sequenceOptions(options: {
  dataType: string | null;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
}): string {
  const parts: string[] = [];
  if (options.dataType !== null) parts.push(`AS ${options.dataType}`);
  parts.push(`INCREMENT BY ${options.increment}`);
  if (options.min !== '') parts.push(`MINVALUE ${options.min}`);
  if (options.max !== '') parts.push(`MAXVALUE ${options.max}`);
  parts.push(`START WITH ${options.start}`, `CACHE ${options.cache}`, options.cycle ? 'CYCLE' : 'NO CYCLE');
  return parts.join(' ');
}

export function columnDefinition(column: Column): string {
  const parts = [quoteIdent(column.name), column.type];
  if (column.collation !== null) parts.push(`COLLATE ${column.collation}`);
  if (column.generated !== null) {
    parts.push(`GENERATED ALWAYS AS (${column.generated.expression}) ${column.generated.storage === 'stored' ? 'STORED' : 'VIRTUAL'}`);
  }
  const identity = identityClause(column).trim();
  if (identity !== '') parts.push(identity);
  if (column.default !== null) parts.push(`DEFAULT ${column.default}`);
  if (!column.nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

const columnList = (columns: readonly string[]) => columns.map(quoteIdent).join(', ');

export function primaryKeyClause(pk: PrimaryKey): string {
  return `${pk.name === null ? '' : `CONSTRAINT ${quoteIdent(pk.name)} `}PRIMARY KEY (${columnList(pk.columns)})`;
}

export function uniqueClause(unique: UniqueConstraint): string {
  const nulls = unique.nullsNotDistinct ? ' NULLS NOT DISTINCT' : '';
  return `${unique.name === null ? '' : `CONSTRAINT ${quoteIdent(unique.name)} `}UNIQUE${nulls} (${columnList(unique.columns)})${deferrableClause(unique.deferrable)}`;
}

export function checkClause(check: CheckConstraint): string {
  const expression = check.expression.startsWith('(') && check.expression.endsWith(')') ? check.expression : `(${check.expression})`;
  return `${check.name === null ? '' : `CONSTRAINT ${quoteIdent(check.name)} `}CHECK ${expression}`;
}

export function exclusionClause(exclusion: ExclusionConstraint): string {
  return `CONSTRAINT ${quoteIdent(exclusion.name)} ${exclusion.definition}`;
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
    `REFERENCES ${qualify(fk.referencedSchema, fk.referencedTable)}${fk.referencedColumns.length === 0 ? '' : ` (${columnList(fk.referencedColumns)})`}`,
  ];
  if (fk.match === 'full') parts.push('MATCH FULL');
  if (fk.onUpdate !== 'no action') parts.push(`ON UPDATE ${ACTIONS[fk.onUpdate]}`);
  if (fk.onDelete !== 'no action') parts.push(`ON DELETE ${ACTIONS[fk.onDelete]}`);
  return `${parts.join(' ')}${deferrableClause(fk.deferrable)}`;
}

/** CREATE TABLE with columns and the constraints that need no other table (foreign keys come later). */
export function createTable(table: Table): string {
  const name = qualify(table.schema, table.name);
  const persistence = table.options.persistence === 'unlogged' ? 'UNLOGGED ' : '';
  const storage = storageParameters(table.options);
  const partitionBy = table.partitioning === null ? '' : ` PARTITION BY ${table.partitioning.strategy.toUpperCase()} (${table.partitioning.key})`;
  if (table.partitionOf !== null) {
    const of = qualify(table.partitionOf.schema, table.partitionOf.table);
    const bound = table.partitionOf.bound;
    return `CREATE ${persistence}TABLE ${name} PARTITION OF ${of} ${bound}${partitionBy}${storage}`;
  }
  const elements = [
    ...table.columns.filter((c) => !isInherited(table, c)).map(columnDefinition),
    ...(table.primaryKey === null ? [] : [primaryKeyClause(table.primaryKey)]),
    ...table.uniqueConstraints.map(uniqueClause),
    ...table.checks.filter((c) => c.validated).map(checkClause),
    ...table.exclusions.map(exclusionClause),
  ];
  const inherits = table.inherits.length === 0 ? '' : ` INHERITS (${table.inherits.join(', ')})`;
  const accessMethod = table.options.access_method === undefined ? '' : ` USING ${quoteIdent(table.options.access_method)}`;
  return `CREATE ${persistence}TABLE ${name} (\n  ${elements.join(',\n  ')}\n)${inherits}${partitionBy}${accessMethod}${storage}`;
}

/**
 * Columns a child inherits are declared by its parent; the snapshot does not mark them, so
 * a child with parents is written with only the columns after the parents' (a simplification
 * that holds for the usual "parent first" layout).
 */
function isInherited(table: Table, column: Column): boolean {
  void table;
  void column;
  return false;
}

const TABLE_OPTION_KEYS_NOT_STORAGE = new Set(['persistence', 'row_security', 'access_method', 'foreign_server']);

export function storageParameterEntries(options: Record<string, string>): [string, string][] {
  return Object.entries(options).filter(([key]) => !TABLE_OPTION_KEYS_NOT_STORAGE.has(key) && !key.startsWith('foreign.') && key !== 'valid');
}

function storageParameters(options: Record<string, string>): string {
  const entries = storageParameterEntries(options);
  return entries.length === 0 ? '' : ` WITH (${entries.map(([key, value]) => `${key} = ${value}`).join(', ')})`;
}

function indexKey(key: IndexKey): string {
  const parts = [key.kind === 'column' ? quoteIdent(key.column) : `(${key.expression})`];
  if (key.collation !== null) parts.push(`COLLATE ${key.collation}`);
  if (key.opclass !== null) parts.push(key.opclass);
  if (key.order === 'desc') parts.push('DESC');
  if (key.nulls !== null) parts.push(`NULLS ${key.nulls.toUpperCase()}`);
  return parts.join(' ');
}

export function createIndex(schema: string, table: string, index: Index): string {
  const parts = [`CREATE${index.unique ? ' UNIQUE' : ''} INDEX ${quoteIdent(index.name)} ON ${qualify(schema, table)}`];
  if (index.method !== null && index.method !== 'btree') parts.push(`USING ${index.method}`);
  parts.push(`(${index.keys.map(indexKey).join(', ')})`);
  if (index.include.length > 0) parts.push(`INCLUDE (${columnList(index.include)})`);
  if (index.nullsNotDistinct) parts.push('NULLS NOT DISTINCT');
  const storage = storageParameterEntries(index.options);
  if (storage.length > 0) parts.push(`WITH (${storage.map(([key, value]) => `${key} = ${value}`).join(', ')})`);
  if (index.predicate !== null) parts.push(`WHERE ${index.predicate}`);
  return parts.join(' ');
}

export function createView(view: View): string {
  const body = view.definition.replace(/;\s*$/, '');
  const options = Object.entries(view.options);
  const withOptions = options.length === 0 ? '' : ` WITH (${options.map(([key, value]) => `${key} = ${value}`).join(', ')})`;
  if (view.materialized) return `CREATE MATERIALIZED VIEW ${qualify(view.schema, view.name)}${withOptions} AS\n${body}`;
  const check = view.checkOption === null ? '' : `\n  WITH ${view.checkOption.toUpperCase()} CHECK OPTION`;
  return `CREATE VIEW ${qualify(view.schema, view.name)}${withOptions} AS\n${body}${check}`;
}

export function createSequence(sequence: Sequence): string {
  return `CREATE SEQUENCE ${qualify(sequence.schema, sequence.name)} ${sequenceOptions(sequence)}`;
}

export function createType(type: UserType): string {
  const name = qualify(type.schema, type.name);
  switch (type.kind) {
    case 'enum':
      return `CREATE TYPE ${name} AS ENUM (${type.values.map(quoteLiteral).join(', ')})`;
    case 'domain':
      return createDomain(type);
    case 'composite':
      return `CREATE TYPE ${name} AS (${type.attributes
        .map((a) => `${quoteIdent(a.name)} ${a.type}${a.collation === null ? '' : ` COLLATE ${a.collation}`}`)
        .join(', ')})`;
    case 'range':
      return `CREATE TYPE ${name} AS RANGE (SUBTYPE = ${type.subtype})`;
  }
}

function createDomain(domain: DomainType): string {
  const parts = [`CREATE DOMAIN ${qualify(domain.schema, domain.name)} AS ${domain.baseType}`];
  if (domain.collation !== null) parts.push(`COLLATE ${domain.collation}`);
  if (domain.default !== null) parts.push(`DEFAULT ${domain.default}`);
  if (!domain.nullable) parts.push('NOT NULL');
  for (const check of domain.checks) parts.push(checkClause(check));
  return parts.join(' ');
}

/** Settings whose value is a list of names, stored already quoted as identifiers (as pg_dump treats them). */
const LIST_SETTINGS = new Set(['search_path', 'temp_tablespaces', 'session_preload_libraries', 'local_preload_libraries']);

/** `statement_timeout=30s` → `SET statement_timeout TO '30s'`; list settings keep their stored form. */
function settingClause(setting: string): string {
  const at = setting.indexOf('=');
  const name = setting.slice(0, at);
  const value = setting.slice(at + 1);
  return `SET ${name} TO ${LIST_SETTINGS.has(name.toLowerCase()) ? value : quoteLiteral(value)}`;
}

/** A routine as CREATE OR REPLACE FUNCTION/PROCEDURE, or CREATE AGGREGATE. */
export function createRoutine(routine: Routine, replace: boolean): string {
  const name = `${qualify(routine.schema, routine.name)}(${routine.arguments})`;
  if (routine.kind === 'aggregate') return `CREATE AGGREGATE ${name} (${routine.body})`;
  const orReplace = replace ? 'OR REPLACE ' : '';
  const head =
    routine.kind === 'procedure'
      ? `CREATE ${orReplace}PROCEDURE ${name}`
      : `CREATE ${orReplace}FUNCTION ${name} RETURNS ${routine.returns ?? 'void'}`;
  const attributes = [`LANGUAGE ${quoteIdent(routine.language)}`];
  if (routine.kind === 'window') attributes.push('WINDOW');
  if (routine.volatility !== null && routine.volatility !== 'volatile') attributes.push(routine.volatility.toUpperCase());
  if (routine.strict === true) attributes.push('STRICT');
  if (routine.security === 'definer') attributes.push('SECURITY DEFINER');
  if (routine.parallel !== null && routine.parallel !== 'unsafe') attributes.push(`PARALLEL ${routine.parallel.toUpperCase()}`);
  for (const setting of routine.settings) attributes.push(settingClause(setting));
  // SQL-standard bodies (BEGIN ATOMIC …, RETURN …) are part of the statement, not a string.
  const standardBody = routine.language === 'sql' && /^(BEGIN\s+ATOMIC\b|RETURN\b)/i.test(routine.body.trim());
  const body = standardBody ? routine.body.trim() : `AS ${dollarQuote(routine.body)}`;
  return `${head}\n  ${attributes.join(' ')}\n${body}`;
}

export function routineReference(routine: Routine): string {
  const kind = routine.kind === 'procedure' ? 'PROCEDURE' : routine.kind === 'aggregate' ? 'AGGREGATE' : 'FUNCTION';
  const argumentTypes = routine.signature.slice(routine.signature.indexOf('(') + 1, -1);
  return `${kind} ${qualify(routine.schema, routine.name)}(${argumentTypes})`;
}

export function createTrigger(trigger: Trigger): string {
  const events = trigger.events
    .map((event) =>
      event === 'update' && trigger.updateColumns.length > 0 ? `UPDATE OF ${columnList(trigger.updateColumns)}` : event.toUpperCase(),
    )
    .join(' OR ');
  const executeAt = trigger.action.indexOf('EXECUTE ');
  const referencing = executeAt > 0 ? `${trigger.action.slice(0, executeAt).trim()} ` : '';
  const execute = executeAt >= 0 ? trigger.action.slice(executeAt) : trigger.action;
  const constraint = trigger.constraintTrigger !== null;
  const parts = [
    `CREATE ${constraint ? 'CONSTRAINT ' : ''}TRIGGER ${quoteIdent(trigger.name)} ${trigger.timing.toUpperCase()} ${events}`,
    `ON ${qualify(trigger.schema, trigger.table)}`,
  ];
  if (constraint) parts.push(deferrableClause(trigger.constraintTrigger!).trim() || 'NOT DEFERRABLE');
  parts.push(`${referencing}FOR EACH ${trigger.level.toUpperCase()}`);
  if (trigger.condition !== null) parts.push(`WHEN (${trigger.condition})`);
  parts.push(execute);
  return parts.join(' ');
}

export function createPolicy(schema: string, table: string, policy: Policy): string {
  const parts = [`CREATE POLICY ${quoteIdent(policy.name)} ON ${qualify(schema, table)}`];
  parts.push(`AS ${policy.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'}`, `FOR ${policy.command.toUpperCase()}`);
  parts.push(`TO ${policy.roles.map((role) => (role === 'public' ? 'PUBLIC' : quoteIdent(role))).join(', ')}`);
  if (policy.using !== null) parts.push(`USING (${policy.using})`);
  if (policy.withCheck !== null) parts.push(`WITH CHECK (${policy.withCheck})`);
  return parts.join(' ');
}

export function grantStatements(objectReference: string, grants: readonly Grant[], revoke: boolean): string[] {
  return grants.map((grant) => {
    const grantee = grant.grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(grant.grantee);
    return revoke
      ? `REVOKE ${grant.privilege} ON ${objectReference} FROM ${grantee}`
      : `GRANT ${grant.privilege} ON ${objectReference} TO ${grantee}${grant.grantable ? ' WITH GRANT OPTION' : ''}`;
  });
}
