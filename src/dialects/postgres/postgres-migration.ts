import type { AttributeChange, Change } from '../../diff/change.js';
import { statement, type MigrationStatement } from '../../diff/migration-script.js';
import type {
  Column,
  DomainType,
  EnumType,
  Grant,
  Index,
  Routine,
  SchemaSnapshot,
  Sequence,
  Table,
  Trigger,
  UserType,
  View,
} from '../../snapshot/model.js';
import type { MigrationGenerator } from '../migration-generator.js';
import {
  checkClause,
  columnDefinition,
  createIndex,
  createPolicy,
  createRoutine,
  createSequence,
  createTable,
  createTrigger,
  createType,
  createView,
  exclusionClause,
  foreignKeyClause,
  grantStatements,
  primaryKeyClause,
  routineReference,
  sequenceOptions,
  storageParameterEntries,
  uniqueClause,
} from './postgres-ddl.js';
import { qualify, quoteIdent, quoteLiteral } from './postgres-quote.js';

/**
 * The statements that turn one PostgreSQL schema into another. Every statement is placed in
 * a phase; phases run in order, so whatever an object depends on exists before it is created
 * and is dropped only after it is gone.
 */
const PHASE = {
  session: 0,
  dropTriggers: 10,
  dropViews: 20,
  dropRoutines: 30,
  dropForeignKeys: 40,
  dropIndexes: 50,
  dropColumnsAndTables: 60,
  dropSequences: 70,
  dropTypes: 80,
  dropExtensions: 90,
  createSchemas: 100,
  extensions: 110,
  types: 120,
  /** Functions a table or domain may use (defaults, checks, generated columns, index predicates). */
  earlyRoutines: 125,
  /** Domains after the functions their checks may call… */
  domains: 127,
  /** …and functions taking or returning a new domain after those. */
  routinesAfterDomains: 128,
  sequences: 130,
  renames: 135,
  tables: 140,
  constraintsAndIndexes: 150,
  views: 170,
  /** Functions whose signature or standard-SQL body needs the tables and views. */
  lateRoutines: 175,
  foreignKeys: 180,
  sequenceOwnership: 185,
  triggersAndPolicies: 190,
  /** Types and sequences nothing uses any more, once columns have moved off them. */
  dropUnused: 195,
  /** A schema goes once everything in it has. */
  dropSchemas: 198,
  commentsOwnersGrants: 200,
} as const;

export const generatePostgresMigration: MigrationGenerator = (from, to, changes) => new PostgresMigrationPlanner(from, to, changes).plan();

interface Planned {
  readonly phase: number;
  readonly sequence: number;
  readonly statement: MigrationStatement;
}

const tableKey = (schema: string, name: string) => `${schema}.${name}`;

/** True when `text` mentions `name` as a whole identifier (not inside a longer one). */
function mentions(text: string, name: string): boolean {
  const isIdentifierChar = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9_$]/.test(ch);
  let at = text.indexOf(name);
  while (at >= 0) {
    if (!isIdentifierChar(text[at - 1]) && !isIdentifierChar(text[at + name.length])) return true;
    at = text.indexOf(name, at + 1);
  }
  return false;
}

class PostgresMigrationPlanner {
  readonly #from: SchemaSnapshot;
  readonly #to: SchemaSnapshot;
  readonly #changes: readonly Change[];
  readonly #planned: Planned[] = [];
  /** Views dropped so they can be recreated (their own change, or something they read changed). */
  readonly #viewsToRecreate = new Set<string>();
  readonly #triggersToRecreate = new Set<string>();

  constructor(from: SchemaSnapshot, to: SchemaSnapshot, changes: readonly Change[]) {
    this.#from = from;
    this.#to = to;
    this.#changes = changes;
  }

  plan(): MigrationStatement[] {
    this.#namespaces();
    this.#extensions();
    this.#types();
    this.#sequences();
    this.#tables();
    this.#routines();
    this.#views();
    this.#triggers();
    this.#rules();
    this.#eventTriggers();
    return [...this.#planned].sort((a, b) => a.phase - b.phase || a.sequence - b.sequence).map((p) => p.statement);
  }

  #emit(phase: number, sql: string, options: { destructive?: string | null; hazards?: readonly string[] } = {}): void {
    this.#planned.push({ phase, sequence: this.#planned.length, statement: statement(sql, options) });
  }

  #changesOf(kind: Change['kind'] | readonly Change['kind'][]): Change[] {
    const kinds = Array.isArray(kind) ? kind : [kind];
    return this.#changes.filter((c) => kinds.includes(c.kind));
  }

  // ---------- comments, owners, grants ----------

  #comment(target: string, comment: string | null): void {
    this.#emit(PHASE.commentsOwnersGrants, `COMMENT ON ${target} IS ${comment === null ? 'NULL' : quoteLiteral(comment)}`);
  }

  #owner(alterTarget: string, owner: string | null | undefined): void {
    if (owner === null || owner === undefined) return;
    this.#emit(PHASE.commentsOwnersGrants, `ALTER ${alterTarget} OWNER TO ${quoteIdent(owner)}`);
  }

  #grants(objectReference: string, before: readonly Grant[] | undefined, after: readonly Grant[] | undefined): void {
    const key = (g: Grant) => `${g.grantee}\u0000${g.privilege}\u0000${g.grantable}`;
    const beforeKeys = new Set((before ?? []).map(key));
    const afterKeys = new Set((after ?? []).map(key));
    const revoked = (before ?? []).filter((g) => !afterKeys.has(key(g)));
    const granted = (after ?? []).filter((g) => !beforeKeys.has(key(g)));
    for (const sql of grantStatements(objectReference, revoked, true)) this.#emit(PHASE.commentsOwnersGrants, sql);
    for (const sql of grantStatements(objectReference, granted, false)) this.#emit(PHASE.commentsOwnersGrants, sql);
  }

  /** Comment, owner and grants of a newly created object. */
  #decorate(target: { comment: string; owner: string; grant: string | null }, object: { comment: string | null; owner?: string | null; grants?: Grant[] }): void {
    if (object.comment !== null) this.#comment(target.comment, object.comment);
    if (object.owner !== undefined && object.owner !== null && object.owner !== this.#defaultOwner()) this.#owner(target.owner, object.owner);
    if (target.grant !== null && (object.grants?.length ?? 0) > 0) this.#grants(target.grant, [], object.grants);
  }

  /** The role most objects belong to: the one a new object gets without ALTER … OWNER. */
  #defaultOwner(): string | null {
    const counts = new Map<string, number>();
    for (const table of this.#to.tables) if (table.owner) counts.set(table.owner, (counts.get(table.owner) ?? 0) + 1);
    let best: string | null = null;
    for (const [owner, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = owner;
    return best;
  }

  /** The attribute changes of one object, by attribute name. */
  #attributeChanges(kind: Change['kind'] | readonly Change['kind'][], name: string): Map<string, AttributeChange> {
    const kinds = Array.isArray(kind) ? kind : [kind];
    const result = new Map<string, AttributeChange>();
    for (const change of this.#changes) {
      if (change.action === 'changed' && kinds.includes(change.kind) && change.name === name) result.set(change.attribute, change);
    }
    return result;
  }

  // ---------- namespaces and extensions ----------

  #namespaces(): void {
    for (const change of this.#changesOf('namespace')) {
      const name = change.path.name;
      if (change.action === 'added') {
        const ns = this.#to.namespaces.find((n) => n.name === name)!;
        this.#emit(PHASE.createSchemas, `CREATE SCHEMA ${quoteIdent(name)}`);
        this.#decorate({ comment: `SCHEMA ${quoteIdent(name)}`, owner: `SCHEMA ${quoteIdent(name)}`, grant: `SCHEMA ${quoteIdent(name)}` }, ns);
      } else if (change.action === 'removed') {
        this.#emit(PHASE.dropSchemas, `DROP SCHEMA ${quoteIdent(name)}`, { destructive: `drops schema ${name}` });
      } else if (change.action === 'renamed') {
        this.#emit(PHASE.createSchemas, `ALTER SCHEMA ${quoteIdent(change.fromPath.name)} RENAME TO ${quoteIdent(name)}`);
      } else if (change.attribute === 'comment') {
        this.#comment(`SCHEMA ${quoteIdent(name)}`, change.after as string | null);
      } else if (change.attribute === 'owner') {
        this.#owner(`SCHEMA ${quoteIdent(name)}`, change.after as string | null);
      } else if (change.attribute === 'grants') {
        this.#grants(`SCHEMA ${quoteIdent(name)}`, change.before as Grant[], change.after as Grant[]);
      }
    }
  }

  #extensions(): void {
    for (const change of this.#changesOf('extension')) {
      const name = change.path.name;
      if (change.action === 'added' || change.action === 'renamed') {
        const extension = this.#to.extensions.find((e) => e.name === name)!;
        this.#emit(PHASE.extensions, `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(name)} WITH SCHEMA ${quoteIdent(extension.schema)}`);
      } else if (change.action === 'removed') {
        this.#emit(PHASE.dropExtensions, `DROP EXTENSION ${quoteIdent(name)}`, { destructive: `drops extension ${name} and the objects it owns` });
      } else if (change.attribute === 'schema') {
        this.#emit(PHASE.extensions, `ALTER EXTENSION ${quoteIdent(name)} SET SCHEMA ${quoteIdent(change.after as string)}`);
      } else if (change.attribute === 'version') {
        this.#emit(PHASE.extensions, `ALTER EXTENSION ${quoteIdent(name)} UPDATE TO ${quoteLiteral(change.after as string)}`);
      }
    }
  }

  // ---------- types ----------

  #types(): void {
    const kinds = ['enum', 'domain', 'composite type', 'range type'] as const;
    const typeRef = (t: { schema: string; name: string }) => qualify(t.schema, t.name);
    const find = (snapshot: SchemaSnapshot, schema: string, name: string) => snapshot.types.find((t) => t.schema === schema && t.name === name);
    const handled = new Set<string>();
    const createOrder = (t: UserType) => ({ enum: 0, range: 1, composite: 2, domain: 3 })[t.kind];
    // Removed types go last (columns move off them first); domains and composites before what they use.
    const dropOrder = (t: UserType) => ({ domain: 0, composite: 1, range: 2, enum: 3 })[t.kind];
    const removed = this.#changesOf(kinds)
      .filter((c) => c.action === 'removed')
      .map((c) => c.object as UserType)
      .sort((a, b) => dropOrder(a) - dropOrder(b));
    for (const type of removed) {
      this.#emit(PHASE.dropUnused, `DROP ${type.kind === 'domain' ? 'DOMAIN' : 'TYPE'} ${typeRef(type)}`, { destructive: `drops type ${type.schema}.${type.name}` });
    }
    const added = this.#changesOf(kinds)
      .filter((c) => c.action === 'added')
      .map((c) => c.object as UserType)
      .sort((a, b) => createOrder(a) - createOrder(b));
    for (const type of added) {
      this.#emit(type.kind === 'domain' ? PHASE.domains : PHASE.types, createType(type));
      this.#decorate({ comment: `${type.kind === 'domain' ? 'DOMAIN' : 'TYPE'} ${typeRef(type)}`, owner: `${type.kind === 'domain' ? 'DOMAIN' : 'TYPE'} ${typeRef(type)}`, grant: `${type.kind === 'domain' ? 'DOMAIN' : 'TYPE'} ${typeRef(type)}` }, type);
    }
    for (const change of this.#changesOf(kinds)) {
      const { schema, name } = { schema: change.path.schema!, name: change.path.name };
      const key = tableKey(schema, name);
      if (change.action === 'added') continue;
      if (change.action === 'removed') {
        continue;
      }
      if (change.action === 'renamed') {
        const word = (change.object as UserType).kind === 'domain' ? 'DOMAIN' : 'TYPE';
        this.#emit(PHASE.renames, `ALTER ${word} ${qualify(change.fromPath.schema!, change.fromPath.name)} RENAME TO ${quoteIdent(name)}`);
        continue;
      }
      if (handled.has(key)) continue;
      handled.add(key);
      const before = find(this.#from, schema, name)!;
      const after = find(this.#to, schema, name)!;
      this.#alterType(before, after, this.#attributeChanges(kinds, change.name));
    }
  }

  #alterType(before: UserType, after: UserType, attributes: Map<string, AttributeChange>): void {
    const word = after.kind === 'domain' ? 'DOMAIN' : 'TYPE';
    const ref = `${word} ${qualify(after.schema, after.name)}`;
    if (attributes.has('comment')) this.#comment(ref, after.comment);
    if (attributes.has('owner')) this.#owner(ref, after.owner);
    if (attributes.has('grants')) this.#grants(ref, before.grants, after.grants);
    if (before.kind !== after.kind || attributes.has('kind')) {
      this.#emit(PHASE.dropTypes, `DROP ${before.kind === 'domain' ? 'DOMAIN' : 'TYPE'} ${qualify(before.schema, before.name)}`, {
        destructive: `recreates type ${before.name} as a ${after.kind}`,
      });
      this.#emit(PHASE.types, createType(after));
      return;
    }
    if (before.kind === 'enum' && after.kind === 'enum' && attributes.has('values')) this.#alterEnum(before, after);
    if (before.kind === 'domain' && after.kind === 'domain') this.#alterDomain(before, after, attributes);
    if (before.kind === 'composite' && after.kind === 'composite' && attributes.has('attributes')) {
      const name = qualify(after.schema, after.name);
      const beforeByName = new Map(before.attributes.map((a) => [a.name, a]));
      const afterNames = new Set(after.attributes.map((a) => a.name));
      for (const attribute of before.attributes) {
        if (!afterNames.has(attribute.name)) {
          this.#emit(PHASE.types, `ALTER TYPE ${name} DROP ATTRIBUTE ${quoteIdent(attribute.name)}`, { destructive: `drops attribute ${attribute.name} of ${after.name}` });
        }
      }
      for (const attribute of after.attributes) {
        const previous = beforeByName.get(attribute.name);
        const collate = attribute.collation === null ? '' : ` COLLATE ${attribute.collation}`;
        if (previous === undefined) this.#emit(PHASE.types, `ALTER TYPE ${name} ADD ATTRIBUTE ${quoteIdent(attribute.name)} ${attribute.type}${collate}`);
        else if (previous.type !== attribute.type || previous.collation !== attribute.collation) {
          this.#emit(PHASE.types, `ALTER TYPE ${name} ALTER ATTRIBUTE ${quoteIdent(attribute.name)} TYPE ${attribute.type}${collate}`);
        }
      }
    }
    if (before.kind === 'range' && after.kind === 'range' && attributes.has('subtype')) {
      this.#emit(PHASE.dropTypes, `DROP TYPE ${qualify(before.schema, before.name)}`, { destructive: `recreates range type ${before.name}` });
      this.#emit(PHASE.types, createType(after));
    }
  }

  /**
   * New enum values are added in place (ADD VALUE … BEFORE/AFTER). Removing or reordering
   * values needs a new type: the old one is renamed, columns are converted through text, and
   * the old type dropped — destructive, since rows holding a removed value cannot convert.
   */
  #alterEnum(before: EnumType, after: EnumType): void {
    const name = qualify(after.schema, after.name);
    const kept = after.values.filter((v) => before.values.includes(v));
    const onlyAdditions = kept.length === before.values.length && kept.every((v, i) => v === before.values[i]);
    if (onlyAdditions) {
      for (let i = 0; i < after.values.length; i += 1) {
        const value = after.values[i]!;
        if (before.values.includes(value)) continue;
        const next = after.values.slice(i + 1).find((v) => before.values.includes(v));
        const position = next === undefined ? '' : ` BEFORE ${quoteLiteral(next)}`;
        this.#emit(PHASE.types, `ALTER TYPE ${name} ADD VALUE ${quoteLiteral(value)}${position}`, {
          hazards: ['a new enum value cannot be used in the same transaction that adds it'],
        });
      }
      return;
    }
    const old = qualify(after.schema, `${after.name}__schemaguard_old`);
    const removed = before.values.filter((v) => !after.values.includes(v));
    this.#emit(PHASE.types, `ALTER TYPE ${name} RENAME TO ${quoteIdent(`${after.name}__schemaguard_old`)}`, {
      destructive: removed.length > 0 ? `removes enum values ${removed.join(', ')} of ${after.name}` : null,
      hazards: ['rewrites every table with a column of this type'],
    });
    this.#emit(PHASE.types, createType(after));
    const typeName = after.schema === 'public' ? after.name : `${after.schema}.${after.name}`;
    const existing = new Set(this.#from.tables.map((t) => tableKey(t.schema, t.name)));
    for (const table of this.#to.tables.filter((t) => existing.has(tableKey(t.schema, t.name)))) {
      for (const column of table.columns) {
        if (column.type !== typeName && column.type !== `${typeName}[]`) continue;
        const target = qualify(table.schema, table.name);
        const cast = column.type.endsWith('[]') ? `::text[]::${name}[]` : `::text::${name}`;
        if (column.default !== null) this.#emit(PHASE.types, `ALTER TABLE ${target} ALTER COLUMN ${quoteIdent(column.name)} DROP DEFAULT`);
        this.#emit(PHASE.types, `ALTER TABLE ${target} ALTER COLUMN ${quoteIdent(column.name)} TYPE ${column.type} USING ${quoteIdent(column.name)}${cast}`);
        if (column.default !== null) this.#emit(PHASE.types, `ALTER TABLE ${target} ALTER COLUMN ${quoteIdent(column.name)} SET DEFAULT ${column.default}`);
      }
    }
    this.#emit(PHASE.types, `DROP TYPE ${old}`);
  }

  #alterDomain(before: DomainType, after: DomainType, attributes: Map<string, AttributeChange>): void {
    const name = qualify(after.schema, after.name);
    if (attributes.has('baseType') || attributes.has('collation')) {
      this.#emit(PHASE.dropTypes, `DROP DOMAIN ${qualify(before.schema, before.name)}`, { destructive: `recreates domain ${before.name} on a new base type` });
      this.#emit(PHASE.types, createType(after));
      return;
    }
    if (attributes.has('default')) {
      this.#emit(PHASE.types, after.default === null ? `ALTER DOMAIN ${name} DROP DEFAULT` : `ALTER DOMAIN ${name} SET DEFAULT ${after.default}`);
    }
    if (attributes.has('nullable')) {
      this.#emit(PHASE.types, `ALTER DOMAIN ${name} ${after.nullable ? 'DROP' : 'SET'} NOT NULL`, {
        hazards: after.nullable ? [] : ['fails if a column of this domain holds NULL'],
      });
    }
    if (attributes.has('checks')) {
      const key = (c: { name: string | null; expression: string }) => `${c.name}\u0000${c.expression}`;
      const afterKeys = new Set(after.checks.map(key));
      const beforeKeys = new Set(before.checks.map(key));
      for (const check of before.checks) {
        if (!afterKeys.has(key(check)) && check.name !== null) this.#emit(PHASE.types, `ALTER DOMAIN ${name} DROP CONSTRAINT ${quoteIdent(check.name)}`);
      }
      for (const check of after.checks) {
        if (!beforeKeys.has(key(check))) {
          this.#emit(PHASE.types, `ALTER DOMAIN ${name} ADD ${checkClause(check)}`, { hazards: ['fails if existing values violate it'] });
        }
      }
    }
  }

  // ---------- sequences ----------

  #sequences(): void {
    for (const change of this.#changesOf('sequence')) {
      const { schema, name } = { schema: change.path.schema!, name: change.path.name };
      const ref = qualify(schema, name);
      if (change.action === 'added') {
        const sequence = change.object as Sequence;
        this.#emit(PHASE.sequences, createSequence(sequence));
        if (sequence.ownedBy !== null) this.#emit(PHASE.sequenceOwnership, `ALTER SEQUENCE ${ref} OWNED BY ${this.#ownedByTarget(schema, sequence)}`);
        this.#decorate({ comment: `SEQUENCE ${ref}`, owner: `SEQUENCE ${ref}`, grant: `SEQUENCE ${ref}` }, sequence);
      } else if (change.action === 'removed') {
        const sequence = change.object as Sequence;
        // A serial's sequence goes with its column or table.
        this.#emit(PHASE.dropUnused, `DROP SEQUENCE ${sequence.ownedBy === null ? '' : 'IF EXISTS '}${ref}`, { destructive: `drops sequence ${change.name}` });
      } else if (change.action === 'renamed') {
        this.#emit(PHASE.renames, `ALTER SEQUENCE ${qualify(change.fromPath.schema!, change.fromPath.name)} RENAME TO ${quoteIdent(name)}`);
      } else {
        this.#alterSequence(change, schema, name);
      }
    }
  }

  #ownedByTarget(schema: string, sequence: Sequence): string {
    const owned = sequence.ownedBy!;
    const [tableSchema, table] = owned.table.includes('.') ? (owned.table.split('.') as [string, string]) : [schema, owned.table];
    return `${qualify(tableSchema, table)}.${quoteIdent(owned.column)}`;
  }

  #alterSequence(change: AttributeChange, schema: string, name: string): void {
    const ref = qualify(schema, name);
    const after = this.#to.sequences.find((s) => s.schema === schema && s.name === name)!;
    const before = this.#from.sequences.find((s) => s.schema === schema && s.name === name)!;
    const clause: Record<string, string> = {
      dataType: `AS ${after.dataType}`,
      start: `START WITH ${after.start}`,
      increment: `INCREMENT BY ${after.increment}`,
      min: `MINVALUE ${after.min}`,
      max: `MAXVALUE ${after.max}`,
      cache: `CACHE ${after.cache}`,
      cycle: after.cycle ? 'CYCLE' : 'NO CYCLE',
    };
    const attribute = change.attribute;
    if (attribute in clause) {
      const narrowing = attribute === 'max' && BigInt(after.max) < BigInt(before.max) ? `lowers the maximum of ${name}` : null;
      this.#emit(PHASE.sequences, `ALTER SEQUENCE ${ref} ${clause[attribute]}`, { destructive: narrowing });
    } else if (attribute === 'ownedBy') {
      this.#emit(PHASE.sequenceOwnership, `ALTER SEQUENCE ${ref} OWNED BY ${after.ownedBy === null ? 'NONE' : this.#ownedByTarget(schema, after)}`);
    } else if (attribute === 'comment') {
      this.#comment(`SEQUENCE ${ref}`, after.comment);
    } else if (attribute === 'owner') {
      this.#owner(`SEQUENCE ${ref}`, after.owner);
    } else if (attribute === 'grants') {
      this.#grants(`SEQUENCE ${ref}`, before.grants, after.grants);
    }
  }

  // ---------- tables ----------

  #tables(): void {
    const fromTables = new Map(this.#from.tables.map((t) => [tableKey(t.schema, t.name), t]));
    const toTables = new Map(this.#to.tables.map((t) => [tableKey(t.schema, t.name), t]));
    const tableChanges = this.#changes.filter((c) => c.kind === 'table');

    const removed = tableChanges.filter((c) => c.action === 'removed').map((c) => c.object as Table);
    for (const table of dropOrder(removed)) {
      this.#emit(PHASE.dropColumnsAndTables, `DROP TABLE ${qualify(table.schema, table.name)}`, {
        destructive: `drops table ${table.schema}.${table.name} and all its rows`,
      });
    }

    const added = tableChanges.filter((c) => c.action === 'added').map((c) => c.object as Table);
    for (const table of createOrder(added)) this.#createTable(table);

    for (const change of tableChanges.filter((c) => c.action === 'renamed')) {
      if (change.action !== 'renamed') continue;
      const from = qualify(change.fromPath.schema!, change.fromPath.name);
      if (change.fromPath.schema !== change.path.schema) {
        this.#emit(PHASE.renames, `ALTER TABLE ${from} SET SCHEMA ${quoteIdent(change.path.schema!)}`);
      }
      if (change.fromPath.name !== change.path.name) {
        this.#emit(PHASE.renames, `ALTER TABLE ${qualify(change.path.schema!, change.fromPath.name)} RENAME TO ${quoteIdent(change.path.name)}`);
      }
    }

    // Tables present on both sides with changes of their own or of their contents.
    const changedKeys = new Set<string>();
    for (const change of this.#changes) {
      if (change.action === 'renamed' && change.kind === 'table') continue;
      const { schema, table, name } = change.path;
      if (schema === null) continue;
      const key = change.kind === 'table' ? tableKey(schema, name) : table === null ? null : tableKey(schema, table);
      if (key !== null && fromTables.has(key) && toTables.has(key)) changedKeys.add(key);
    }
    for (const key of changedKeys) this.#alterTable(fromTables.get(key)!, toTables.get(key)!);
  }

  #createTable(table: Table): void {
    const ref = qualify(table.schema, table.name);
    this.#emit(PHASE.tables, createTable(table));
    for (const check of table.checks.filter((c) => !c.validated)) {
      this.#emit(PHASE.constraintsAndIndexes, `ALTER TABLE ${ref} ADD ${checkClause(check)} NOT VALID`);
    }
    for (const index of table.indexes) this.#emit(PHASE.constraintsAndIndexes, createIndex(table.schema, table.name, index));
    for (const fk of table.foreignKeys) {
      this.#emit(PHASE.foreignKeys, `ALTER TABLE ${ref} ADD ${foreignKeyClause(fk)}${fk.validated ? '' : ' NOT VALID'}`);
    }
    this.#rowSecurity(ref, undefined, table.options.row_security);
    for (const policy of table.policies) this.#emit(PHASE.triggersAndPolicies, createPolicy(table.schema, table.name, policy));
    this.#decorate({ comment: `TABLE ${ref}`, owner: `TABLE ${ref}`, grant: `TABLE ${ref}` }, table);
    for (const column of table.columns) if (column.comment !== null) this.#comment(`COLUMN ${ref}.${quoteIdent(column.name)}`, column.comment);
    for (const index of table.indexes) if (index.comment !== null) this.#comment(`INDEX ${qualify(table.schema, index.name)}`, index.comment);
    this.#constraintComments(table, ref);
  }

  #constraintComments(table: Table, ref: string, only?: Set<string>): void {
    const constraints = [
      ...(table.primaryKey === null ? [] : [{ name: table.primaryKey.name, comment: table.primaryKey.comment ?? null }]),
      ...table.uniqueConstraints,
      ...table.checks,
      ...table.exclusions,
      ...table.foreignKeys,
    ];
    for (const constraint of constraints) {
      if (constraint.name === null || constraint.comment === null) continue;
      if (only !== undefined && !only.has(constraint.name)) continue;
      this.#comment(`CONSTRAINT ${quoteIdent(constraint.name)} ON ${ref}`, constraint.comment);
    }
  }

  #rowSecurity(ref: string, before: string | undefined, after: string | undefined): void {
    if (before === after) return;
    if (after === undefined) {
      this.#emit(PHASE.triggersAndPolicies, `ALTER TABLE ${ref} DISABLE ROW LEVEL SECURITY`);
      if (before === 'forced') this.#emit(PHASE.triggersAndPolicies, `ALTER TABLE ${ref} NO FORCE ROW LEVEL SECURITY`);
      return;
    }
    if (before === undefined) this.#emit(PHASE.triggersAndPolicies, `ALTER TABLE ${ref} ENABLE ROW LEVEL SECURITY`);
    this.#emit(PHASE.triggersAndPolicies, `ALTER TABLE ${ref} ${after === 'forced' ? '' : 'NO '}FORCE ROW LEVEL SECURITY`);
  }

  #alterTable(before: Table, after: Table): void {
    const ref = qualify(after.schema, after.name);
    const changes = this.#changes.filter(
      (c) =>
        c.path.schema === after.schema &&
        ((c.kind === 'table' && c.path.name === after.name) || (c.path.table === after.name && c.kind !== 'trigger' && c.kind !== 'rule')),
    );
    if (changes.some((c) => c.action === 'changed' && c.kind === 'table' && c.attribute === 'partitioning')) {
      // Partitioning cannot be altered: the table is made again.
      this.#emit(PHASE.dropColumnsAndTables, `DROP TABLE ${ref}`, { destructive: `recreates ${after.name} with new partitioning, losing its rows` });
      this.#createTable(after);
      this.#recreateViewsReading(after);
      return;
    }
    let columnShapeChanged = false;
    for (const change of changes) {
      if (change.kind === 'table' && change.action === 'changed') this.#alterTableAttribute(before, after, change);
      else if (change.kind === 'column') columnShapeChanged = this.#alterColumn(before, after, change) || columnShapeChanged;
      else this.#alterTableMember(before, after, change);
    }
    if (columnShapeChanged) this.#recreateViewsReading(after);
  }

  #alterTableAttribute(before: Table, after: Table, change: AttributeChange): void {
    const ref = qualify(after.schema, after.name);
    const attribute = change.attribute;
    if (attribute === 'comment') this.#comment(`TABLE ${ref}`, after.comment);
    else if (attribute === 'owner') this.#owner(`TABLE ${ref}`, after.owner);
    else if (attribute === 'grants') this.#grants(`TABLE ${ref}`, before.grants, after.grants);
    else if (attribute === 'inherits') {
      for (const parent of before.inherits.filter((p) => !after.inherits.includes(p))) this.#emit(PHASE.tables, `ALTER TABLE ${ref} NO INHERIT ${parent}`);
      for (const parent of after.inherits.filter((p) => !before.inherits.includes(p))) this.#emit(PHASE.tables, `ALTER TABLE ${ref} INHERIT ${parent}`);
    } else if (attribute === 'partitionOf') {
      if (before.partitionOf !== null) {
        this.#emit(PHASE.tables, `ALTER TABLE ${qualify(before.partitionOf.schema, before.partitionOf.table)} DETACH PARTITION ${ref}`);
      }
      if (after.partitionOf !== null) {
        this.#emit(PHASE.tables, `ALTER TABLE ${qualify(after.partitionOf.schema, after.partitionOf.table)} ATTACH PARTITION ${ref} ${after.partitionOf.bound}`, {
          hazards: ['scans the table to check the bound unless a matching CHECK constraint exists'],
        });
      }
    } else if (attribute.startsWith('option ')) {
      const option = attribute.slice('option '.length);
      const value = after.options[option];
      if (option === 'persistence') this.#emit(PHASE.tables, `ALTER TABLE ${ref} SET ${value === 'unlogged' ? 'UNLOGGED' : 'LOGGED'}`, { hazards: ['rewrites the table'] });
      else if (option === 'row_security') this.#rowSecurity(ref, before.options.row_security, value);
      else if (option === 'access_method') this.#emit(PHASE.tables, `ALTER TABLE ${ref} SET ACCESS METHOD ${quoteIdent(value ?? 'heap')}`, { hazards: ['rewrites the table'] });
      else if (storageParameterEntries({ [option]: value ?? '' }).length > 0) {
        this.#emit(PHASE.tables, value === undefined ? `ALTER TABLE ${ref} RESET (${option})` : `ALTER TABLE ${ref} SET (${option} = ${value})`);
      }
    }
  }

  /** Returns true when the change alters a column's shape (so views reading the table must be recreated). */
  #alterColumn(before: Table, after: Table, change: Change): boolean {
    const ref = qualify(after.schema, after.name);
    const name = change.path.name;
    const column = (table: Table, columnName: string) => table.columns.find((c) => c.name === columnName);
    if (change.action === 'added') {
      const definition = column(after, name)!;
      const hazards: string[] = [];
      if (!definition.nullable && definition.default === null && definition.identity === null && definition.generated === null) {
        hazards.push('fails if the table has rows: NOT NULL without a default');
      }
      if (definition.generated !== null || definition.identity !== null) hazards.push('rewrites the table');
      this.#emit(PHASE.tables, `ALTER TABLE ${ref} ADD COLUMN ${columnDefinition(definition)}`, { hazards });
      if (definition.comment !== null) this.#comment(`COLUMN ${ref}.${quoteIdent(name)}`, definition.comment);
      return false;
    }
    if (change.action === 'removed') {
      this.#emit(PHASE.dropColumnsAndTables, `ALTER TABLE ${ref} DROP COLUMN ${quoteIdent(name)}`, {
        destructive: `drops column ${after.name}.${name} and its data`,
      });
      return true;
    }
    if (change.action === 'renamed') {
      this.#emit(PHASE.renames, `ALTER TABLE ${ref} RENAME COLUMN ${quoteIdent(change.fromPath.name)} TO ${quoteIdent(name)}`);
      return true;
    }
    const previous = column(before, name)!;
    const next = column(after, name)!;
    const alter = (clause: string, options: { destructive?: string | null; hazards?: string[] } = {}) =>
      this.#emit(PHASE.tables, `ALTER TABLE ${ref} ALTER COLUMN ${quoteIdent(name)} ${clause}`, options);
    switch (change.attribute) {
      case 'type':
      case 'collation': {
        // Once per column even when both type and collation changed.
        if (change.attribute === 'collation' && previous.type !== next.type) return false;
        if (previous.default !== null) alter('DROP DEFAULT');
        const collate = next.collation === null ? '' : ` COLLATE ${next.collation}`;
        const using = previous.type === next.type ? '' : ` USING ${quoteIdent(name)}::${next.type}`;
        alter(`TYPE ${next.type}${collate}${using}`, {
          destructive: narrowing(previous.type, next.type) ? `narrows ${after.name}.${name} from ${previous.type} to ${next.type}` : null,
          hazards: ['rewrites the table under an ACCESS EXCLUSIVE lock'],
        });
        if (next.default !== null) alter(`SET DEFAULT ${next.default}`);
        return true;
      }
      case 'nullable':
        alter(next.nullable ? 'DROP NOT NULL' : 'SET NOT NULL', { hazards: next.nullable ? [] : ['fails if existing rows hold NULL; scans the table'] });
        return false;
      case 'default':
        if (changesOf(this.#changes, after, name).has('type')) return false; // set with the type
        alter(next.default === null ? 'DROP DEFAULT' : `SET DEFAULT ${next.default}`);
        return false;
      case 'identity':
        this.#alterIdentity(previous, next, alter);
        return false;
      case 'generated':
        this.#alterGenerated(ref, previous, next);
        return true;
      case 'comment':
        this.#comment(`COLUMN ${ref}.${quoteIdent(name)}`, next.comment);
        return false;
      default:
        return false;
    }
  }

  #alterIdentity(previous: Column, next: Column, alter: (clause: string, options?: { hazards?: string[] }) => void): void {
    if (next.identity === null) {
      alter('DROP IDENTITY');
      return;
    }
    if (previous.identity === null) {
      const options = sequenceOptions({ ...next.identity, dataType: null });
      alter(`ADD GENERATED ${next.identity.generation === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY (${options})`);
      return;
    }
    const clauses: string[] = [];
    if (previous.identity.generation !== next.identity.generation) clauses.push(`SET GENERATED ${next.identity.generation === 'always' ? 'ALWAYS' : 'BY DEFAULT'}`);
    if (previous.identity.increment !== next.identity.increment) clauses.push(`SET INCREMENT BY ${next.identity.increment}`);
    // Bounds before the start value: a start outside the old bounds is refused otherwise.
    if (previous.identity.min !== next.identity.min) clauses.push(`SET MINVALUE ${next.identity.min}`);
    if (previous.identity.max !== next.identity.max) clauses.push(`SET MAXVALUE ${next.identity.max}`);
    if (previous.identity.start !== next.identity.start) clauses.push(`SET START WITH ${next.identity.start}`);
    if (previous.identity.cache !== next.identity.cache) clauses.push(`SET CACHE ${next.identity.cache}`);
    if (previous.identity.cycle !== next.identity.cycle) clauses.push(next.identity.cycle ? 'SET CYCLE' : 'SET NO CYCLE');
    if (clauses.length > 0) alter(clauses.join(' '));
  }

  /** A generation expression cannot be edited in place on every version: the column is made again. */
  #alterGenerated(ref: string, previous: Column, next: Column): void {
    if (next.generated === null && previous.generated?.storage === 'stored') {
      this.#emit(PHASE.tables, `ALTER TABLE ${ref} ALTER COLUMN ${quoteIdent(next.name)} DROP EXPRESSION`);
      return;
    }
    this.#emit(PHASE.tables, `ALTER TABLE ${ref} DROP COLUMN ${quoteIdent(next.name)}`, {
      destructive: previous.generated === null ? `replaces the values of ${next.name} with a generated expression` : null,
    });
    this.#emit(PHASE.tables, `ALTER TABLE ${ref} ADD COLUMN ${columnDefinition(next)}`, { hazards: ['rewrites the table'] });
  }

  #alterTableMember(before: Table, after: Table, change: Change): void {
    const ref = qualify(after.schema, after.name);
    const constraintName = change.path.name;
    const dropConstraint = (phase: number, name: string) => this.#emit(phase, `ALTER TABLE ${ref} DROP CONSTRAINT ${quoteIdent(name)}`);
    const beforeAndAfter = <T extends { name: string | null }>(list: (t: Table) => readonly T[]) => ({
      previous: change.action === 'added' ? undefined : list(before).find((x) => (x.name ?? '') === (change.action === 'renamed' ? change.fromPath.name : constraintName)),
      next: change.action === 'removed' ? undefined : list(after).find((x) => (x.name ?? '') === constraintName),
    });
    const onlyComment = change.action === 'changed' && change.attribute === 'comment';
    switch (change.kind) {
      case 'primary key': {
        if (onlyComment) {
          this.#constraintComments(after, ref, new Set([constraintName]));
          return;
        }
        if (!this.#firstTime(`${ref}:primary key`)) return;
        this.#recreateForeignKeysReferencing(before, before.primaryKey?.columns ?? []);
        if (before.primaryKey !== null && before.primaryKey.name !== null) dropConstraint(PHASE.dropIndexes, before.primaryKey.name);
        if (after.primaryKey !== null) this.#emit(PHASE.constraintsAndIndexes, `ALTER TABLE ${ref} ADD ${primaryKeyClause(after.primaryKey)}`, { hazards: ['builds an index and scans for NULLs under lock'] });
        return;
      }
      case 'unique constraint':
      case 'check constraint':
      case 'exclusion constraint': {
        const list = (t: Table) =>
          change.kind === 'unique constraint' ? t.uniqueConstraints : change.kind === 'check constraint' ? t.checks : t.exclusions;
        const { previous, next } = beforeAndAfter(list as (t: Table) => readonly { name: string | null }[]);
        if (onlyComment) {
          this.#constraintComments(after, ref, new Set([constraintName]));
          return;
        }
        if (change.action === 'changed' && change.kind === 'check constraint' && change.attribute === 'validated' && next !== undefined) {
          if ((next as unknown as { validated: boolean }).validated) this.#emit(PHASE.constraintsAndIndexes, `ALTER TABLE ${ref} VALIDATE CONSTRAINT ${quoteIdent(constraintName)}`);
          return;
        }
        if (change.action === 'renamed') {
          this.#emit(PHASE.renames, `ALTER TABLE ${ref} RENAME CONSTRAINT ${quoteIdent(change.fromPath.name)} TO ${quoteIdent(constraintName)}`);
          return;
        }
        if (!this.#firstTime(`${ref}:${change.kind}:${constraintName}`)) return;
        if (change.kind === 'unique constraint' && previous !== undefined) {
          this.#recreateForeignKeysReferencing(before, (previous as Table['uniqueConstraints'][number]).columns);
        }
        if (previous?.name) dropConstraint(PHASE.dropIndexes, previous.name);
        if (next !== undefined) {
          const clause =
            change.kind === 'unique constraint'
              ? uniqueClause(next as Table['uniqueConstraints'][number])
              : change.kind === 'check constraint'
                ? `${checkClause(next as Table['checks'][number])}${(next as Table['checks'][number]).validated ? '' : ' NOT VALID'}`
                : exclusionClause(next as Table['exclusions'][number]);
          this.#emit(PHASE.constraintsAndIndexes, `ALTER TABLE ${ref} ADD ${clause}`, {
            hazards: change.kind === 'check constraint' ? ['scans the table under lock; consider NOT VALID then VALIDATE CONSTRAINT'] : ['fails on duplicates; builds an index under lock'],
          });
          this.#constraintComments(after, ref, new Set([constraintName]));
        }
        return;
      }
      case 'foreign key': {
        const { previous, next } = beforeAndAfter((t) => t.foreignKeys);
        if (onlyComment) {
          this.#constraintComments(after, ref, new Set([constraintName]));
          return;
        }
        if (change.action === 'changed' && change.attribute === 'validated' && next?.validated) {
          this.#emit(PHASE.foreignKeys, `ALTER TABLE ${ref} VALIDATE CONSTRAINT ${quoteIdent(constraintName)}`);
          return;
        }
        if (change.action === 'renamed') {
          this.#emit(PHASE.renames, `ALTER TABLE ${ref} RENAME CONSTRAINT ${quoteIdent(change.fromPath.name)} TO ${quoteIdent(constraintName)}`);
          return;
        }
        if (!this.#firstTime(`${ref}:fk:${constraintName}`)) return;
        if (previous?.name) dropConstraint(PHASE.dropForeignKeys, previous.name);
        if (next !== undefined) {
          this.#emit(PHASE.foreignKeys, `ALTER TABLE ${ref} ADD ${foreignKeyClause(next)}${next.validated ? '' : ' NOT VALID'}`, {
            hazards: next.validated ? ['checks every row under lock; consider NOT VALID then VALIDATE CONSTRAINT'] : [],
          });
          this.#constraintComments(after, ref, new Set([constraintName]));
        }
        return;
      }
      case 'index': {
        const previous = before.indexes.find((i) => i.name === (change.action === 'renamed' ? change.fromPath.name : constraintName));
        const next = after.indexes.find((i) => i.name === constraintName);
        this.#alterIndex(after.schema, after.name, change, previous, next);
        return;
      }
      case 'policy': {
        if (!this.#firstTime(`${ref}:policy:${constraintName}`)) return;
        const previous = before.policies.find((p) => p.name === constraintName);
        const next = after.policies.find((p) => p.name === constraintName);
        if (previous !== undefined) this.#emit(PHASE.dropTriggers, `DROP POLICY ${quoteIdent(previous.name)} ON ${ref}`);
        if (next !== undefined) this.#emit(PHASE.triggersAndPolicies, createPolicy(after.schema, after.name, next));
        return;
      }
      default:
        return;
    }
  }

  readonly #seen = new Set<string>();

  /**
   * A primary key or unique constraint cannot be dropped while foreign keys use it: those are
   * dropped first and added back (if they still exist) once it is rebuilt.
   */
  #recreateForeignKeysReferencing(table: Table, columns: readonly string[]): void {
    if (columns.length === 0) return;
    const sameColumns = (a: readonly string[]) => a.length === columns.length && a.every((c) => columns.includes(c));
    for (const other of this.#from.tables) {
      for (const fk of other.foreignKeys) {
        if (fk.referencedSchema !== table.schema || fk.referencedTable !== table.name || fk.name === null) continue;
        if (!sameColumns(fk.referencedColumns)) continue;
        const otherRef = qualify(other.schema, other.name);
        if (!this.#firstTime(`${otherRef}:fk:${fk.name}`)) continue;
        this.#emit(PHASE.dropForeignKeys, `ALTER TABLE ${otherRef} DROP CONSTRAINT ${quoteIdent(fk.name)}`);
        const still = this.#to.tables.find((t) => t.schema === other.schema && t.name === other.name)?.foreignKeys.find((f) => f.name === fk.name);
        if (still !== undefined) this.#emit(PHASE.foreignKeys, `ALTER TABLE ${otherRef} ADD ${foreignKeyClause(still)}${still.validated ? '' : ' NOT VALID'}`);
      }
    }
  }

  /** Several attribute changes of one object lead to one drop-and-create. */
  #firstTime(key: string): boolean {
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    return true;
  }

  #alterIndex(schema: string, table: string, change: Change, previous: Index | undefined, next: Index | undefined): void {
    if (change.action === 'renamed') {
      this.#emit(PHASE.renames, `ALTER INDEX ${qualify(schema, change.fromPath.name)} RENAME TO ${quoteIdent(change.path.name)}`);
      return;
    }
    if (change.action === 'changed' && change.attribute === 'comment') {
      this.#comment(`INDEX ${qualify(schema, change.path.name)}`, next?.comment ?? null);
      return;
    }
    if (!this.#firstTime(`index:${schema}.${change.path.name}`)) return;
    if (previous !== undefined) this.#emit(PHASE.dropIndexes, `DROP INDEX ${qualify(schema, previous.name)}`);
    if (next !== undefined) {
      this.#emit(PHASE.constraintsAndIndexes, createIndex(schema, table, next), {
        hazards: ['blocks writes while it builds; consider CREATE INDEX CONCURRENTLY outside a transaction'],
      });
      if (next.comment !== null) this.#comment(`INDEX ${qualify(schema, next.name)}`, next.comment);
    }
  }

  // ---------- routines ----------

  #routines(): void {
    const kinds = ['function', 'procedure', 'aggregate', 'window function'] as const;
    const handled = new Set<string>();
    for (const change of this.#changesOf(kinds)) {
      if (change.action === 'added') {
        this.#createRoutine(change.object as Routine, false);
        continue;
      }
      if (change.action === 'removed') {
        const routine = change.object as Routine;
        this.#emit(PHASE.dropRoutines, `DROP ${routineReference(routine)}`, { destructive: `drops ${routine.kind} ${change.name}` });
        continue;
      }
      if (change.action === 'renamed') {
        const routine = change.object as Routine;
        const old = this.#from.routines.find((r) => r.schema === change.fromPath.schema && r.signature === change.fromPath.name)!;
        this.#emit(PHASE.renames, `ALTER ${routineReference(old)} RENAME TO ${quoteIdent(routine.name)}`);
        continue;
      }
      if (handled.has(change.name)) continue;
      handled.add(change.name);
      const before = this.#from.routines.find((r) => r.schema === change.path.schema && r.signature === change.path.name)!;
      const after = this.#to.routines.find((r) => r.schema === change.path.schema && r.signature === change.path.name)!;
      const attributes = this.#attributeChanges(kinds, change.name);
      const ref = routineReference(after);
      const definitionAttributes = [...attributes.keys()].filter((a) => !['comment', 'owner', 'grants'].includes(a));
      // OR REPLACE cannot change the result type, argument names or defaults, or the kind.
      const needsDrop = ['kind', 'returns', 'arguments'].some((a) => attributes.has(a)) || (after.kind === 'aggregate' && definitionAttributes.length > 0);
      if (needsDrop) {
        this.#emit(PHASE.dropRoutines, `DROP ${routineReference(before)}`);
        this.#createRoutine(after, false);
        this.#recreateTriggersCalling(after);
        continue;
      }
      if (definitionAttributes.length > 0) this.#emit(this.#routinePhase(after), createRoutine(after, true));
      if (attributes.has('comment')) this.#comment(ref, after.comment);
      if (attributes.has('owner')) this.#owner(ref, after.owner);
      if (attributes.has('grants')) this.#grants(ref, before.grants, after.grants);
    }
  }

  /**
   * Functions go before tables (a default, check or index may call them), with function bodies
   * unchecked as pg_dump does. A function whose signature names a relation, or whose standard
   * SQL body (BEGIN ATOMIC, RETURN) is bound at creation, goes after tables and views.
   */
  #routinePhase(routine: Routine): number {
    const relations = [...this.#to.tables, ...this.#to.views].map((r) => r.name);
    const signature = `${routine.arguments} ${routine.returns ?? ''}`;
    const standardBody = routine.language === 'sql' && /^(BEGIN\s+ATOMIC\b|RETURN\b)/i.test(routine.body.trim());
    if (standardBody || routine.kind === 'aggregate' || relations.some((name) => mentions(signature, name))) return PHASE.lateRoutines;
    this.#uncheckedBodies();
    const domains = this.#to.types.filter((t) => t.kind === 'domain').map((t) => t.name);
    return domains.some((name) => mentions(signature, name)) ? PHASE.routinesAfterDomains : PHASE.earlyRoutines;
  }

  #bodiesUnchecked = false;

  #uncheckedBodies(): void {
    if (this.#bodiesUnchecked) return;
    this.#bodiesUnchecked = true;
    this.#emit(PHASE.session, 'SET check_function_bodies = false');
  }

  #createRoutine(routine: Routine, replace: boolean): void {
    this.#emit(this.#routinePhase(routine), createRoutine(routine, replace));
    const ref = routineReference(routine);
    this.#decorate({ comment: ref, owner: ref, grant: ref }, routine);
  }

  #recreateTriggersCalling(routine: Routine): void {
    const name = `${quoteIdent(routine.schema)}.${quoteIdent(routine.name)}`;
    for (const trigger of this.#to.triggers) {
      if (trigger.function !== name) continue;
      const key = `${trigger.schema}.${trigger.table}.${trigger.name}`;
      if (this.#triggersToRecreate.has(key)) continue;
      if (!this.#from.triggers.some((t) => `${t.schema}.${t.table}.${t.name}` === key)) continue;
      this.#triggersToRecreate.add(key);
      this.#emit(PHASE.dropTriggers, `DROP TRIGGER ${quoteIdent(trigger.name)} ON ${qualify(trigger.schema, trigger.table)}`);
      this.#createTrigger(trigger);
    }
  }

  // ---------- views ----------

  /** Drops and recreates the views that read a table whose columns change. */
  #recreateViewsReading(table: Table): void {
    for (const view of this.#from.views) {
      if (mentions(view.definition, table.name)) this.#markViewForRecreation(view);
    }
  }

  #markViewForRecreation(view: View): void {
    const key = tableKey(view.schema, view.name);
    if (this.#viewsToRecreate.has(key)) return;
    this.#viewsToRecreate.add(key);
    // Views reading this view must go first and come back after.
    for (const other of this.#from.views) if (other !== view && mentions(other.definition, view.name)) this.#markViewForRecreation(other);
  }

  #views(): void {
    const kinds = ['view', 'materialized view'] as const;
    const removedKeys = new Set<string>();
    for (const change of this.#changesOf(kinds)) {
      const key = tableKey(change.path.schema!, change.path.name);
      if (change.action === 'removed') removedKeys.add(key);
      if (change.action === 'changed') {
        const attributes = this.#attributeChanges(kinds, change.name);
        const onlyDecoration = [...attributes.keys()].every((a) => ['comment', 'owner', 'grants'].includes(a));
        const view = this.#from.views.find((v) => tableKey(v.schema, v.name) === key);
        if (!onlyDecoration && view !== undefined) this.#markViewForRecreation(view);
      }
      if (change.action === 'renamed') {
        const view = change.object as View;
        this.#emit(PHASE.renames, `ALTER ${view.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${qualify(change.fromPath.schema!, change.fromPath.name)} RENAME TO ${quoteIdent(view.name)}`);
      }
    }
    const fromViews = this.#from.views;
    const toByKey = new Map(this.#to.views.map((v) => [tableKey(v.schema, v.name), v]));

    // Drop: removed views and views to recreate, dependents before what they read.
    const toDrop = fromViews.filter((v) => removedKeys.has(tableKey(v.schema, v.name)) || this.#viewsToRecreate.has(tableKey(v.schema, v.name)));
    for (const view of dependencyOrder(toDrop).reverse()) {
      const key = tableKey(view.schema, view.name);
      this.#emit(PHASE.dropViews, `DROP ${view.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${qualify(view.schema, view.name)}`, {
        destructive: removedKeys.has(key) ? `drops ${view.materialized ? 'materialized view' : 'view'} ${view.schema}.${view.name}` : null,
      });
    }

    // Create: added views and recreated ones, after what they read.
    const added = this.#changesOf(kinds).filter((c) => c.action === 'added').map((c) => c.object as View);
    const recreated = [...this.#viewsToRecreate].map((key) => toByKey.get(key)).filter((v): v is View => v !== undefined);
    for (const view of dependencyOrder([...added, ...recreated])) {
      const ref = qualify(view.schema, view.name);
      this.#emit(PHASE.views, createView(view), { hazards: view.materialized ? ['runs the query to fill the view'] : [] });
      for (const index of view.indexes) this.#emit(PHASE.views, createIndex(view.schema, view.name, index));
      const word = view.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
      this.#decorate({ comment: `${word} ${ref}`, owner: `${word} ${ref}`, grant: `TABLE ${ref}` }, view);
    }

    // Views only re-decorated, and materialized view indexes.
    for (const change of this.#changesOf(kinds)) {
      if (change.action !== 'changed') continue;
      const key = tableKey(change.path.schema!, change.path.name);
      if (this.#viewsToRecreate.has(key)) continue;
      const after = toByKey.get(key)!;
      const before = fromViews.find((v) => tableKey(v.schema, v.name) === key)!;
      const word = after.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
      const ref = qualify(after.schema, after.name);
      if (change.attribute === 'comment') this.#comment(`${word} ${ref}`, after.comment);
      if (change.attribute === 'owner') this.#owner(`${word} ${ref}`, after.owner);
      if (change.attribute === 'grants') this.#grants(`TABLE ${ref}`, before.grants, after.grants);
    }
    for (const change of this.#changes) {
      if (change.kind !== 'index' || change.path.table === null) continue;
      const key = tableKey(change.path.schema!, change.path.table);
      const view = toByKey.get(key) ?? fromViews.find((v) => tableKey(v.schema, v.name) === key);
      if (view === undefined || this.#viewsToRecreate.has(key)) continue;
      const previous = fromViews.find((v) => tableKey(v.schema, v.name) === key)?.indexes.find((i) => i.name === change.path.name);
      const next = toByKey.get(key)?.indexes.find((i) => i.name === change.path.name);
      this.#alterIndex(view.schema, view.name, change, previous, next);
    }
  }

  // ---------- triggers, rules, event triggers ----------

  #createTrigger(trigger: Trigger): void {
    const ref = qualify(trigger.schema, trigger.table);
    this.#emit(PHASE.triggersAndPolicies, createTrigger(trigger));
    if (trigger.enabled !== 'origin') {
      const clause = { always: 'ENABLE ALWAYS', replica: 'ENABLE REPLICA', disabled: 'DISABLE', origin: 'ENABLE' }[trigger.enabled];
      this.#emit(PHASE.triggersAndPolicies, `ALTER TABLE ${ref} ${clause} TRIGGER ${quoteIdent(trigger.name)}`);
    }
    if (trigger.comment !== null) this.#comment(`TRIGGER ${quoteIdent(trigger.name)} ON ${ref}`, trigger.comment);
  }

  #triggers(): void {
    const removedTables = new Set(this.#changes.filter((c) => c.kind === 'table' && c.action === 'removed').map((c) => tableKey(c.path.schema!, c.path.name)));
    const handled = new Set<string>();
    for (const change of this.#changesOf('trigger')) {
      const key = `${change.path.schema}.${change.path.table}.${change.path.name}`;
      if (this.#triggersToRecreate.has(key)) continue;
      const ref = qualify(change.path.schema!, change.path.table!);
      if (change.action === 'added') {
        this.#createTrigger(change.object as Trigger);
      } else if (change.action === 'removed') {
        // A dropped table takes its triggers with it.
        if (!removedTables.has(tableKey(change.path.schema!, change.path.table!))) {
          this.#emit(PHASE.dropTriggers, `DROP TRIGGER ${quoteIdent(change.path.name)} ON ${ref}`);
        }
      } else if (change.action === 'renamed') {
        this.#emit(PHASE.renames, `ALTER TRIGGER ${quoteIdent(change.fromPath.name)} ON ${ref} RENAME TO ${quoteIdent(change.path.name)}`);
      } else if (!handled.has(key)) {
        handled.add(key);
        const attributes = this.#attributeChanges('trigger', change.name);
        const after = this.#to.triggers.find((t) => `${t.schema}.${t.table}.${t.name}` === key)!;
        const definition = [...attributes.keys()].filter((a) => a !== 'comment' && a !== 'enabled' && a !== 'owner');
        if (definition.length > 0) {
          this.#emit(PHASE.dropTriggers, `DROP TRIGGER ${quoteIdent(after.name)} ON ${ref}`);
          this.#createTrigger(after);
          continue;
        }
        if (attributes.has('enabled')) {
          const clause = { always: 'ENABLE ALWAYS', replica: 'ENABLE REPLICA', disabled: 'DISABLE', origin: 'ENABLE' }[after.enabled];
          this.#emit(PHASE.triggersAndPolicies, `ALTER TABLE ${ref} ${clause} TRIGGER ${quoteIdent(after.name)}`);
        }
        if (attributes.has('comment')) this.#comment(`TRIGGER ${quoteIdent(after.name)} ON ${ref}`, after.comment);
      }
    }
  }

  #rules(): void {
    for (const change of this.#changesOf('rule')) {
      const ref = qualify(change.path.schema!, change.path.table!);
      if (change.action === 'removed') {
        this.#emit(PHASE.dropTriggers, `DROP RULE ${quoteIdent(change.path.name)} ON ${ref}`);
        continue;
      }
      const rule = this.#to.rules.find((r) => r.schema === change.path.schema && r.table === change.path.table && r.name === change.path.name);
      if (rule === undefined) continue;
      if (change.action === 'changed' && change.attribute === 'comment') {
        this.#comment(`RULE ${quoteIdent(rule.name)} ON ${ref}`, rule.comment);
        continue;
      }
      if (!this.#firstTime(`rule:${change.name}`)) continue;
      this.#emit(PHASE.triggersAndPolicies, rule.definition.replace(/^CREATE RULE/, 'CREATE OR REPLACE RULE'));
    }
  }

  #eventTriggers(): void {
    for (const change of this.#changesOf('event trigger')) {
      const name = quoteIdent(change.path.name);
      if (change.action === 'removed') {
        this.#emit(PHASE.dropTriggers, `DROP EVENT TRIGGER ${name}`);
        continue;
      }
      const trigger = this.#to.eventTriggers.find((e) => e.name === change.path.name)!;
      if (change.action === 'changed' && change.attribute === 'enabled') {
        const clause = { always: 'ENABLE ALWAYS', replica: 'ENABLE REPLICA', disabled: 'DISABLE', origin: 'ENABLE' }[trigger.enabled];
        this.#emit(PHASE.triggersAndPolicies, `ALTER EVENT TRIGGER ${name} ${clause}`);
        continue;
      }
      if (change.action === 'changed' && change.attribute === 'comment') {
        this.#comment(`EVENT TRIGGER ${name}`, trigger.comment);
        continue;
      }
      if (!this.#firstTime(`event trigger:${trigger.name}`)) continue;
      if (change.action === 'changed') this.#emit(PHASE.dropTriggers, `DROP EVENT TRIGGER ${name}`);
      const tags = trigger.tags.length === 0 ? '' : ` WHEN TAG IN (${trigger.tags.map(quoteLiteral).join(', ')})`;
      this.#emit(PHASE.triggersAndPolicies, `CREATE EVENT TRIGGER ${name} ON ${quoteIdent(trigger.event)}${tags} EXECUTE FUNCTION ${trigger.function}()`);
      if (trigger.enabled !== 'origin') {
        const clause = { always: 'ENABLE ALWAYS', replica: 'ENABLE REPLICA', disabled: 'DISABLE', origin: 'ENABLE' }[trigger.enabled];
        this.#emit(PHASE.triggersAndPolicies, `ALTER EVENT TRIGGER ${name} ${clause}`);
      }
      if (trigger.comment !== null) this.#comment(`EVENT TRIGGER ${name}`, trigger.comment);
    }
  }
}

/** The attribute names changed on one column. */
function changesOf(changes: readonly Change[], table: Table, column: string): Set<string> {
  const result = new Set<string>();
  for (const change of changes) {
    if (change.action === 'changed' && change.kind === 'column' && change.path.schema === table.schema && change.path.table === table.name && change.path.name === column) {
      result.add(change.attribute);
    }
  }
  return result;
}

/** Parents and partitioned tables before their children. */
function createOrder(tables: readonly Table[]): Table[] {
  const depth = (table: Table, seen = new Set<Table>()): number => {
    if (seen.has(table)) return 0;
    seen.add(table);
    const parents = [
      ...(table.partitionOf === null ? [] : [`${table.partitionOf.schema}.${table.partitionOf.table}`]),
      ...table.inherits.map((p) => p.replaceAll('"', '')),
    ];
    let result = 0;
    for (const parent of parents) {
      const parentTable = tables.find((t) => `${t.schema}.${t.name}` === parent);
      if (parentTable !== undefined) result = Math.max(result, depth(parentTable, seen) + 1);
    }
    return result;
  };
  return [...tables].sort((a, b) => depth(a) - depth(b));
}

/** Children and referencing tables before what they depend on. */
function dropOrder(tables: readonly Table[]): Table[] {
  const keys = new Set(tables.map((t) => `${t.schema}.${t.name}`));
  const ordered: Table[] = [];
  const visited = new Set<Table>();
  const visit = (table: Table) => {
    if (visited.has(table)) return;
    visited.add(table);
    // Whoever depends on this table is dropped first.
    for (const other of tables) {
      if (other === table) continue;
      const dependsOn =
        other.foreignKeys.some((fk) => `${fk.referencedSchema}.${fk.referencedTable}` === `${table.schema}.${table.name}`) ||
        (other.partitionOf !== null && `${other.partitionOf.schema}.${other.partitionOf.table}` === `${table.schema}.${table.name}`) ||
        other.inherits.some((p) => p.replaceAll('"', '') === `${table.schema}.${table.name}`);
      if (dependsOn) visit(other);
    }
    ordered.push(table);
  };
  for (const table of tables) if (keys.has(`${table.schema}.${table.name}`)) visit(table);
  // `ordered` has dependents before their dependencies already (post-order of "depends on me").
  return ordered;
}

/** Views ordered so that each comes after the views its definition mentions. */
function dependencyOrder(views: readonly View[]): View[] {
  const ordered: View[] = [];
  const state = new Map<View, 'visiting' | 'done'>();
  const visit = (view: View) => {
    if (state.get(view) !== undefined) return;
    state.set(view, 'visiting');
    for (const other of views) if (other !== view && mentions(view.definition, other.name)) visit(other);
    state.set(view, 'done');
    ordered.push(view);
  };
  for (const view of views) visit(view);
  return ordered;
}

/** Whether changing a column from one type to another can lose data (a shorter varchar, a smaller integer…). */
export function narrowing(from: string, to: string): boolean {
  const length = (type: string) => /\((\d+)(?:,\s*(\d+))?\)/.exec(type);
  const base = (type: string) => type.replace(/\(.*\)/, '').trim();
  const integerRank: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };
  const fromBase = base(from);
  const toBase = base(to);
  if (fromBase in integerRank && toBase in integerRank) return integerRank[toBase]! < integerRank[fromBase]!;
  if (fromBase === toBase) {
    const a = length(from);
    const b = length(to);
    if (a === null) return b !== null;
    if (b === null) return false;
    return Number(b[1]) < Number(a[1]) || Number(b[2] ?? 0) < Number(a[2] ?? 0);
  }
  if (fromBase === 'text' && /^character/.test(toBase)) return true;
  if (/^(double precision|numeric|real)$/.test(fromBase) && (toBase in integerRank || toBase === 'real')) return true;
  return false;
}
