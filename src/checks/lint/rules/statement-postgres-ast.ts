import type { ColumnDef, Constraint, Node, RangeVar, TypeName } from '@pgsql/types';
import type { SqlStatement } from '../../../migrations/migration.js';
import type { LintStep, ParsedStatement } from '../lint-rule.js';
import { tableRef, type TableRef } from './statement-support.js';

/**
 * Reading libpg-query's raw parse tree. Every node is an object with one key naming its
 * type (`{ IndexStmt: { … } }`); `nodeField(value, 'IndexStmt')` narrows to that type's
 * fields, or gives undefined for any other node.
 */

type NodeKey = Node extends infer N ? (N extends unknown ? keyof N : never) : never;
type NodeBody<K extends NodeKey> = Extract<Node, { [P in K]: unknown }>[K];

export function nodeField<K extends NodeKey>(value: unknown, key: K): NodeBody<K> | undefined {
  if (value === null || typeof value !== 'object' || !(key in value)) return undefined;
  return (value as Record<string, unknown>)[key] as NodeBody<K>;
}

/** A statement with its parse tree (statements the parser could not read are left out). */
export interface PgStatement {
  readonly statement: SqlStatement;
  readonly node: Node;
}

export function readable(parsed: readonly ParsedStatement[]): PgStatement[] {
  return parsed.flatMap((p) => (p.ast !== null && typeof p.ast === 'object' ? [{ statement: p.statement, node: p.ast as Node }] : []));
}

/** The text of a `String` node. */
export function stringValue(value: Node | undefined): string | null {
  return nodeField(value, 'String')?.sval ?? null;
}

/** `[schema, name]` from a list of `String` nodes (`DROP INDEX public.i`), the last two parts. */
export function qualifiedParts(items: readonly Node[] | undefined): { schema: string | null; name: string } | null {
  const parts = (items ?? []).map(stringValue);
  if (parts.length === 0 || parts.some((p) => p === null)) return null;
  const name = parts[parts.length - 1]!;
  const schema = parts.length >= 2 ? parts[parts.length - 2]! : null;
  return { schema, name };
}

/** A table named by a RangeVar, placed in the step's snapshots (unqualified names go to `public`). */
export function relationRef(step: LintStep, relation: RangeVar | undefined): TableRef | null {
  if (relation?.relname === undefined) return null;
  return tableRef(step, relation.schemaname ?? null, relation.relname, 'public');
}

/** The type a TypeName names, without `pg_catalog.`: `int4`, `timestamp`, `varchar`, `serial`. */
export function typeNameOf(typeName: TypeName | undefined): string | null {
  const names = (typeName?.names ?? []).map(stringValue);
  if (names.length === 0 || names.some((n) => n === null)) return null;
  if (names.length === 2 && names[0] === 'pg_catalog') return names[1]!;
  return names.length === 1 ? names[0]! : names.join('.');
}

/** The integer modifiers of a type: `varchar(20)` → [20]. */
export function typeModifiers(typeName: TypeName | undefined): number[] {
  return (typeName?.typmods ?? []).flatMap((mod) => {
    const value = nodeField(mod, 'A_Const')?.ival?.ival;
    return value === undefined ? [] : [value];
  });
}

/** The constraints of a column definition. */
export function columnConstraints(column: ColumnDef): Constraint[] {
  return (column.constraints ?? []).flatMap((c) => {
    const constraint = nodeField(c, 'Constraint');
    return constraint === undefined ? [] : [constraint];
  });
}

/** Every FuncCall in an expression tree, with its name (last part, lower case). */
export function functionCalls(expression: unknown): string[] {
  const names: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const call = nodeField(value, 'FuncCall');
    if (call !== undefined) {
      const parts = (call.funcname ?? []).map(stringValue);
      const last = parts[parts.length - 1];
      if (last !== undefined && last !== null) names.push(last.toLowerCase());
    }
    for (const child of Object.values(value)) visit(child);
  };
  visit(expression);
  return names;
}

/** The column definitions a statement introduces: CREATE TABLE columns and ALTER TABLE ADD COLUMN. */
export interface ColumnIntroduction {
  readonly table: TableRef;
  readonly column: ColumnDef;
  readonly statement: SqlStatement;
  /** `create` for CREATE TABLE, `add` for ADD COLUMN, `type` for ALTER COLUMN … TYPE. */
  readonly via: 'create' | 'add' | 'type';
}

export function introducedColumns(step: LintStep, statements: readonly PgStatement[]): ColumnIntroduction[] {
  const found: ColumnIntroduction[] = [];
  for (const { statement, node } of statements) {
    const create = nodeField(node, 'CreateStmt');
    if (create !== undefined) {
      const table = relationRef(step, create.relation);
      if (table === null) continue;
      for (const element of create.tableElts ?? []) {
        const column = nodeField(element, 'ColumnDef');
        if (column !== undefined) found.push({ table, column, statement, via: 'create' });
      }
      continue;
    }
    const alter = nodeField(node, 'AlterTableStmt');
    if (alter === undefined) continue;
    const table = relationRef(step, alter.relation);
    if (table === null) continue;
    for (const command of alterCommands(alter.cmds)) {
      const column = nodeField(command.def, 'ColumnDef');
      if (column === undefined) continue;
      if (command.subtype === 'AT_AddColumn') found.push({ table, column, statement, via: 'add' });
      if (command.subtype === 'AT_AlterColumnType') found.push({ table, column: { ...column, colname: command.name }, statement, via: 'type' });
    }
  }
  return found;
}

export function alterCommands(commands: readonly Node[] | undefined): NonNullable<NodeBody<'AlterTableCmd'>>[] {
  return (commands ?? []).flatMap((c) => {
    const command = nodeField(c, 'AlterTableCmd');
    return command === undefined ? [] : [command];
  });
}
