import type { Change } from '../../diff/change.js';
import { statement, type MigrationStatement } from '../../diff/migration-script.js';
import type { ForeignKey, Grant, Routine, SchemaSnapshot, Table, Trigger, View } from '../../snapshot/model.js';
import type { MigrationGenerator } from '../migration-generator.js';
import {
  alterTable,
  collectTableEdits,
  foreignKeyReference,
  replacedBefore,
  servedBy,
  touchedColumns,
  touchedKeyColumns,
  VIOLATION,
  type TableEdit,
} from './mysql-alter-table.js';
import {
  createEvent,
  createRoutine,
  createSequence,
  createTable,
  createTrigger,
  createView,
  eventClauses,
  eventStatement,
  foreignKeyClause,
  indexClause,
  routineCharacteristics,
  routineKeyword,
  sequenceOptions,
  tableName,
} from './mysql-ddl.js';
import { versionAtLeast } from '../../core/version.js';
import { backquotedNames } from './mysql-qualifiers.js';
import { grantee, quoteIdent, quoteString } from './mysql-quote.js';

/**
 * DDL that turns one MySQL/MariaDB schema (`from`) into another (`to`), driven by the diff's
 * change list. Statements come in dependency order:
 *
 * 1. the database comment; grants that go away;
 * 2. drops of what depends on tables: events, triggers, views, routines, foreign keys
 *    (also those whose columns or keys are about to change: they are added back at the end);
 * 3. new sequences (column defaults may call them); dropped, renamed, created and altered tables;
 *    sequence changes and drops;
 * 4. routines, then views (each after the views it reads), then triggers (in their action
 *    order), then foreign keys, then events, then new grants.
 *
 * Nothing names the database: the script runs in whichever database the client selects.
 */
export const generateMysqlMigration: MigrationGenerator = (from, to, changes) => new MysqlMigration(from, to, changes).statements();

type Phase =
  | 'namespace'
  | 'revoke'
  | 'dropEvent'
  | 'dropTrigger'
  | 'dropView'
  | 'dropRoutine'
  | 'dropForeignKey'
  | 'createSequence'
  | 'dropTable'
  | 'renameTable'
  | 'createTable'
  | 'alterTable'
  | 'sequence'
  | 'createRoutine'
  | 'createView'
  | 'createTrigger'
  | 'addForeignKey'
  | 'event'
  | 'grant';

const PHASES: readonly Phase[] = [
  'namespace',
  'revoke',
  'dropEvent',
  'dropTrigger',
  'dropView',
  'dropRoutine',
  'dropForeignKey',
  'createSequence',
  'dropTable',
  'renameTable',
  'createTable',
  'alterTable',
  'sequence',
  'createRoutine',
  'createView',
  'createTrigger',
  'addForeignKey',
  'event',
  'grant',
];

const ROUTINE_KINDS = new Set(['function', 'procedure', 'aggregate', 'window function']);

class MysqlMigration {
  readonly #from: SchemaSnapshot;
  readonly #to: SchemaSnapshot;
  readonly #changes: readonly Change[];
  readonly #out = new Map<Phase, MigrationStatement[]>(PHASES.map((p) => [p, []]));
  readonly #removedTables = new Set<string>();
  readonly #addedTables = new Set<string>();
  /** Old name → new name. */
  readonly #renamedTables = new Map<string, string>();
  readonly #edits: Map<string, TableEdit>;

  constructor(from: SchemaSnapshot, to: SchemaSnapshot, changes: readonly Change[]) {
    this.#from = from;
    this.#to = to;
    this.#changes = changes;
    for (const change of changes) {
      if (change.kind !== 'table') continue;
      if (change.action === 'removed') this.#removedTables.add(change.path.name);
      if (change.action === 'added') this.#addedTables.add(change.path.name);
      if (change.action === 'renamed') this.#renamedTables.set(change.fromPath.name, change.path.name);
    }
    this.#edits = collectTableEdits(from, to, changes);
  }

  statements(): MigrationStatement[] {
    this.#namespace();
    this.#tables();
    this.#sequences();
    this.#routines();
    this.#views();
    this.#triggers();
    this.#events();
    return PHASES.flatMap((phase) => this.#out.get(phase)!);
  }

  #emit(phase: Phase, item: MigrationStatement): void {
    this.#out.get(phase)!.push(item);
  }

  #changesOf(kind: (kind: Change['kind']) => boolean): Change[] {
    return this.#changes.filter((c) => kind(c.kind));
  }

  // ── namespace and grants ──────────────────────────────────────────────

  #namespace(): void {
    for (const change of this.#changesOf((k) => k === 'namespace')) {
      if (change.action !== 'changed') continue;
      if (change.attribute === 'comment') {
        this.#emit('namespace', statement(`ALTER DATABASE COMMENT ${quoteString((change.after as string | null) ?? '')}`));
      }
      if (change.attribute === 'grants') this.#grantChanges('*', change.before as Grant[], change.after as Grant[]);
    }
  }

  /**
   * GRANT and REVOKE for one object, one statement per grantee. `on` is `*` (the database
   * the client selected) or an object of it.
   */
  #grantChanges(on: string, before: readonly Grant[] = [], after: readonly Grant[] = [], destructive: string | null = null): void {
    const key = (g: Grant) => `${g.grantee}\u0000${g.privilege}`;
    const beforeByKey = new Map(before.map((g) => [key(g), g]));
    const afterByKey = new Map(after.map((g) => [key(g), g]));
    const grantees = [...new Set([...before, ...after].map((g) => g.grantee))].sort();
    for (const who of grantees) {
      const revoke = before.filter((g) => g.grantee === who && !afterByKey.has(key(g))).map((g) => g.privilege);
      const grant = after.filter((g) => g.grantee === who && !beforeByKey.has(key(g)));
      const loseOption = before.some((g) => g.grantee === who && g.grantable) && !after.some((g) => g.grantee === who && g.grantable);
      const gainOption = after.filter((g) => g.grantee === who && g.grantable && beforeByKey.get(key(g))?.grantable === false);
      if (revoke.length > 0 || loseOption) {
        const privileges = loseOption ? [...revoke, 'GRANT OPTION'] : revoke;
        this.#emit('revoke', statement(`REVOKE ${privileges.join(', ')} ON ${on} FROM ${grantee(who)}`, { destructive }));
      }
      const plain = grant.filter((g) => !g.grantable).map((g) => g.privilege);
      const withOption = [...grant.filter((g) => g.grantable), ...gainOption].map((g) => g.privilege);
      if (plain.length > 0) this.#emit('grant', statement(`GRANT ${plain.join(', ')} ON ${on} TO ${grantee(who)}`));
      if (withOption.length > 0) this.#emit('grant', statement(`GRANT ${withOption.join(', ')} ON ${on} TO ${grantee(who)} WITH GRANT OPTION`));
    }
  }

  // ── tables ────────────────────────────────────────────────────────────

  #tables(): void {
    const fromTables = new Map(this.#from.tables.map((t) => [t.name, t]));
    const toTables = new Map(this.#to.tables.map((t) => [t.name, t]));
    const features = { renameIndex: renameIndexSupported(this.#from) };

    // Foreign keys are dropped before anything changes under them, and added back at the end.
    const dropped = this.#foreignKeysToDrop(fromTables);
    for (const { table, fk } of dropped) this.#emit('dropForeignKey', dropForeignKey(table, fk));

    // Removed tables: those that reference others go first.
    for (const name of dropOrder(this.#removedTables, fromTables, (table, fk) => this.#emit('dropForeignKey', dropForeignKey(table, fk)))) {
      const table = fromTables.get(name)!;
      this.#grantChanges(quoteIdent(name), table.grants, [], `revokes grants on ${name}, which is dropped`);
      this.#emit('dropTable', statement(`DROP TABLE ${tableName(table.schema, name)}`, { destructive: `drops table ${name} and its rows` }));
    }
    for (const [oldName, newName] of this.#renamedTables) {
      const table = toTables.get(newName)!;
      this.#emit('renameTable', statement(`RENAME TABLE ${tableName(table.schema, oldName)} TO ${tableName(table.schema, newName)}`));
      // Privileges stay with the old name.
      this.#grantChanges(quoteIdent(oldName), fromTables.get(oldName)?.grants, []);
      this.#grantChanges(quoteIdent(newName), [], table.grants);
    }
    for (const name of this.#addedTables) {
      const table = toTables.get(name)!;
      this.#emit('createTable', statement(createTable(table)));
      this.#grantChanges(quoteIdent(name), [], table.grants);
    }
    for (const [name, edit] of this.#edits) {
      const { before, main } = alterTable(edit, features);
      for (const item of [...before, ...main]) this.#emit('alterTable', item);
      if (edit.attributes.has('grants')) this.#grantChanges(quoteIdent(name), edit.before.grants, edit.after.grants);
    }
    this.#addForeignKeys(dropped, toTables);
  }

  /**
   * ADD FOREIGN KEY for the foreign keys new in `to` (in tables created or altered) and for
   * those dropped only because something changed under them.
   */
  #addForeignKeys(dropped: readonly { table: Table; fk: ForeignKey }[], toTables: ReadonlyMap<string, Table>): void {
    const adds = new Map<string, { table: Table; fk: ForeignKey; isNew: boolean }>();
    const droppedColumns = new Set<string>();
    for (const { table, fk } of dropped) {
      const target = toTables.get(this.#renamedTables.get(table.name) ?? table.name);
      const again = target?.foreignKeys.find((f) => f.name === fk.name);
      if (target !== undefined && again !== undefined) adds.set(foreignKeyReference(target, again), { table: target, fk: again, isNew: false });
      if (target !== undefined) droppedColumns.add(`${target.name}\u0000${fk.columns.join(',')}`);
    }
    for (const [name, edit] of this.#edits) {
      for (const fkName of [...edit.foreignKeys.added, ...edit.foreignKeys.changed.keys(), ...edit.foreignKeys.renamed.values()]) {
        const fk = edit.after.foreignKeys.find((f) => f.name === fkName);
        if (fk !== undefined) adds.set(foreignKeyReference(edit.after, fk), { table: toTables.get(name)!, fk, isNew: true });
      }
    }
    for (const name of this.#addedTables) {
      const table = toTables.get(name)!;
      for (const fk of table.foreignKeys) adds.set(foreignKeyReference(table, fk), { table, fk, isNew: true });
    }
    for (const { table, fk, isNew } of adds.values()) {
      // InnoDB replaces an index it made for a dropped foreign key by one named after the new
      // constraint; rebuilt in the same statement, the index keeps its name.
      const edit = this.#edits.get(table.name);
      const leftover = droppedColumns.has(`${table.name}\u0000${fk.columns.join(',')}`)
        ? table.indexes.filter(
            (index) =>
              index.name !== fk.name &&
              index.keys.length === fk.columns.length &&
              index.keys.every((k, i) => k.kind === 'column' && k.column === fk.columns[i] && k.prefixLength === null) &&
              !edit?.indexes.added.has(index.name) &&
              !edit?.indexes.changed.has(index.name),
          )
        : [];
      const clauses = [
        ...leftover.flatMap((index) => [`DROP INDEX ${quoteIdent(index.name)}`, `ADD ${indexClause(index, table.options.engine)}`]),
        `ADD ${foreignKeyClause(fk)}`,
      ];
      this.#emit(
        'addForeignKey',
        // A table created by this migration has no rows to violate it.
        statement(`ALTER TABLE ${tableName(table.schema, table.name)}\n  ${clauses.join(',\n  ')}`, {
          hazards: isNew && !this.#addedTables.has(table.name) ? [VIOLATION] : [],
        }),
      );
    }
  }

  /**
   * Foreign keys of tables that stay: those removed, changed or renamed, and those whose
   * columns, referenced columns or supporting keys change (MySQL refuses to change a column a
   * foreign key uses, or drop the index it relies on).
   */
  #foreignKeysToDrop(fromTables: ReadonlyMap<string, Table>): { table: Table; fk: ForeignKey }[] {
    const result: { table: Table; fk: ForeignKey }[] = [];
    for (const table of fromTables.values()) {
      if (this.#removedTables.has(table.name)) continue;
      const edit = this.#edits.get(table.name);
      const replaced = edit === undefined ? new Set<string>() : replacedBefore(edit.foreignKeys);
      const touched = edit === undefined ? new Set<string>() : touchedColumns(edit);
      const keys = edit === undefined ? [] : touchedKeyColumns(edit);
      for (const fk of table.foreignKeys) {
        if (fk.name === null) continue;
        const parentName = fk.referencedSchema === table.schema ? fk.referencedTable : null;
        const parentEdit = parentName === null ? undefined : this.#edits.get(parentName);
        const parentTouched = parentEdit === undefined ? new Set<string>() : touchedColumns(parentEdit);
        const drop =
          replaced.has(fk.name) ||
          fk.columns.some((c) => touched.has(c)) ||
          servedBy(fk.columns, keys) ||
          (parentName !== null && this.#removedTables.has(parentName)) ||
          fk.referencedColumns.some((c) => parentTouched.has(c)) ||
          (parentEdit !== undefined && servedBy(fk.referencedColumns, touchedKeyColumns(parentEdit)));
        if (drop) result.push({ table, fk });
      }
    }
    return result;
  }

  // ── sequences ─────────────────────────────────────────────────────────

  #sequences(): void {
    const fromSequences = new Map(this.#from.sequences.map((s) => [s.name, s]));
    const toSequences = new Map(this.#to.sequences.map((s) => [s.name, s]));
    const changedOptions = new Map<string, Set<string>>();
    for (const change of this.#changesOf((k) => k === 'sequence')) {
      const name = change.path.name;
      if (change.action === 'added') {
        const sequence = toSequences.get(name)!;
        this.#emit('createSequence', statement(createSequence(sequence)));
        this.#grantChanges(quoteIdent(name), [], sequence.grants);
      } else if (change.action === 'removed') {
        const sequence = fromSequences.get(name)!;
        this.#grantChanges(quoteIdent(name), sequence.grants, [], `revokes grants on ${name}, which is dropped`);
        this.#emit('sequence', statement(`DROP SEQUENCE ${tableName(sequence.schema, name)}`, { destructive: `drops sequence ${name} and its current value` }));
      } else if (change.action === 'renamed') {
        const sequence = toSequences.get(name)!;
        this.#emit('createSequence', statement(`RENAME TABLE ${tableName(sequence.schema, change.fromPath.name)} TO ${tableName(sequence.schema, name)}`));
        this.#grantChanges(quoteIdent(change.fromPath.name), fromSequences.get(change.fromPath.name)?.grants, []);
        this.#grantChanges(quoteIdent(name), [], sequence.grants);
      } else if (change.attribute === 'grants') {
        this.#grantChanges(quoteIdent(name), change.before as Grant[], change.after as Grant[]);
      } else {
        const attributes = changedOptions.get(name) ?? new Set<string>();
        attributes.add(change.attribute);
        changedOptions.set(name, attributes);
      }
    }
    for (const [name, attributes] of changedOptions) {
      const sequence = toSequences.get(name)!;
      const target = tableName(sequence.schema, name);
      if (attributes.has('comment')) this.#emit('sequence', statement(`ALTER TABLE ${target} COMMENT=${quoteString(sequence.comment ?? '')}`));
      const options = ['start', 'increment', 'min', 'max', 'cache', 'cycle', 'dataType'].filter((a) => attributes.has(a));
      if (options.length === 0) continue;
      const type = attributes.has('dataType') ? ` AS ${sequence.dataType}` : '';
      this.#emit('sequence', statement(`ALTER SEQUENCE ${target}${type} ${sequenceOptions(sequence)}`));
    }
  }

  // ── routines ──────────────────────────────────────────────────────────

  #routines(): void {
    const fromRoutines = new Map(this.#from.routines.map((r) => [r.signature, r]));
    const toRoutines = new Map(this.#to.routines.map((r) => [r.signature, r]));
    const redefined = (r: Routine) => this.#to.routines.some((o) => o.name === r.name && o.kind === r.kind);
    const changed = new Map<string, Set<string>>();
    for (const change of this.#changesOf((k) => ROUTINE_KINDS.has(k))) {
      const signature = change.path.name;
      if (change.action === 'added') this.#emit('createRoutine', statement(createRoutine(toRoutines.get(signature)!)));
      else if (change.action === 'removed') {
        const routine = fromRoutines.get(signature)!;
        this.#emit(
          'dropRoutine',
          statement(`DROP ${routineKeyword(routine)} ${quoteIdent(routine.name)}`, {
            destructive: redefined(routine) ? null : `drops ${routine.kind} ${routine.name}`,
          }),
        );
      } else if (change.action === 'renamed') {
        const old = fromRoutines.get(change.fromPath.name)!;
        this.#emit('dropRoutine', statement(`DROP ${routineKeyword(old)} ${quoteIdent(old.name)}`));
        this.#emit('createRoutine', statement(createRoutine(toRoutines.get(signature)!)));
      } else {
        const attributes = changed.get(signature) ?? new Set<string>();
        attributes.add(change.attribute);
        changed.set(signature, attributes);
      }
    }
    for (const [signature, attributes] of changed) {
      const routine = toRoutines.get(signature)!;
      // Comment, security and data access have ALTER; anything else is drop and create.
      if ([...attributes].every((a) => ['comment', 'security', 'dataAccess'].includes(a))) {
        this.#emit('createRoutine', statement(`ALTER ${routineKeyword(routine)} ${quoteIdent(routine.name)} ${routineCharacteristics(routine, 'ALTER').join(' ')}`));
        continue;
      }
      this.#emit('dropRoutine', statement(`DROP ${routineKeyword(routine)} ${quoteIdent(routine.name)}`));
      this.#emit('createRoutine', statement(createRoutine(routine)));
    }
  }

  // ── views ─────────────────────────────────────────────────────────────

  #views(): void {
    const fromViews = new Map(this.#from.views.map((v) => [v.name, v]));
    const toViews = new Map(this.#to.views.map((v) => [v.name, v]));
    const create = new Set<string>();
    for (const change of this.#changesOf((k) => k === 'view' || k === 'materialized view')) {
      const name = change.path.name;
      if (change.action === 'removed') {
        const view = fromViews.get(name)!;
        this.#grantChanges(quoteIdent(name), view.grants, [], `revokes grants on ${name}, which is dropped`);
        this.#emit('dropView', statement(`DROP VIEW ${tableName(view.schema, name)}`, { destructive: `drops view ${name}` }));
      } else if (change.action === 'added') {
        create.add(name);
        this.#grantChanges(quoteIdent(name), [], toViews.get(name)!.grants);
      } else if (change.action === 'renamed') {
        const old = fromViews.get(change.fromPath.name)!;
        this.#emit('dropView', statement(`DROP VIEW ${tableName(old.schema, old.name)}`));
        this.#grantChanges(quoteIdent(old.name), old.grants, []);
        this.#grantChanges(quoteIdent(name), [], toViews.get(name)!.grants);
        create.add(name);
      } else if (change.attribute === 'grants') {
        this.#grantChanges(quoteIdent(name), change.before as Grant[], change.after as Grant[]);
      } else if (change.attribute !== 'columns') {
        // A view's columns follow its tables; anything else is in CREATE OR REPLACE.
        create.add(name);
      }
    }
    for (const name of viewOrder(create, toViews)) this.#emit('createView', statement(createView(toViews.get(name)!, fromViews.has(name))));
  }

  // ── triggers ──────────────────────────────────────────────────────────

  /**
   * Triggers cannot be altered: changed ones are dropped and created again. MySQL orders the
   * triggers of one table, timing and event (ACTION_ORDER); new ones are placed with FOLLOWS
   * or PRECEDES, and kept ones that are out of order are created again too.
   */
  #triggers(): void {
    const id = (t: Trigger) => `${t.table}\u0000${t.name}`;
    const fromTriggers = new Map(this.#from.triggers.map((t) => [id(t), t]));
    const changedIds = new Map<string, Set<string>>();
    const removed = new Set<string>();
    const added = new Set<string>();
    for (const change of this.#changesOf((k) => k === 'trigger')) {
      const key = `${change.path.table}\u0000${change.path.name}`;
      if (change.action === 'removed') removed.add(key);
      else if (change.action === 'added') added.add(key);
      else if (change.action === 'renamed') {
        removed.add(`${change.fromPath.table}\u0000${change.fromPath.name}`);
        added.add(key);
      } else changedIds.set(key, (changedIds.get(key) ?? new Set()).add(change.attribute));
    }
    if (removed.size + added.size + changedIds.size === 0) return;
    const toNames = new Set(this.#to.triggers.map((t) => t.name));
    const drop = new Set<string>();
    for (const key of removed) {
      const trigger = fromTriggers.get(key)!;
      // A dropped table takes its triggers with it.
      if (this.#removedTables.has(trigger.table)) continue;
      drop.add(key);
      this.#emit(
        'dropTrigger',
        statement(`DROP TRIGGER ${quoteIdent(trigger.name)}`, { destructive: toNames.has(trigger.name) ? null : `drops trigger ${trigger.name}` }),
      );
    }
    const recreate = new Set(added);
    for (const [key, attributes] of changedIds) {
      if ([...attributes].some((a) => a !== 'order')) recreate.add(key);
    }
    // Group by table (as it is named after the migration), timing and event.
    const groupOf = (t: Trigger, table: string) => `${table}\u0000${t.timing}\u0000${t.events.join(',')}`;
    const groups = new Map<string, Trigger[]>();
    for (const trigger of this.#to.triggers) {
      const key = groupOf(trigger, trigger.table);
      groups.set(key, [...(groups.get(key) ?? []), trigger]);
    }
    for (const members of groups.values()) {
      const ordered = [...members].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
      // Kept triggers, in the order they have before; if that is not their order after, they are created again.
      const kept = ordered
        .filter((t) => !recreate.has(id(t)) && fromTriggers.has(id(t)))
        .sort((a, b) => (fromTriggers.get(id(a))!.order ?? 0) - (fromTriggers.get(id(b))!.order ?? 0));
      const keptInOrder = kept.every((t, i) => i === 0 || ordered.indexOf(kept[i - 1]!) < ordered.indexOf(t));
      if (!keptInOrder) for (const t of kept) recreate.add(id(t));
      const existing = new Set(ordered.filter((t) => !recreate.has(id(t))).map(id));
      ordered.forEach((trigger, i) => {
        if (!recreate.has(id(trigger))) return;
        if (fromTriggers.has(id(trigger)) && !drop.has(id(trigger))) {
          drop.add(id(trigger));
          this.#emit('dropTrigger', statement(`DROP TRIGGER ${quoteIdent(trigger.name)}`));
        }
        const previous = ordered[i - 1];
        const next = ordered.slice(i + 1).find((t) => existing.has(id(t)));
        const placement =
          previous !== undefined ? `FOLLOWS ${quoteIdent(previous.name)}` : next !== undefined ? `PRECEDES ${quoteIdent(next.name)}` : null;
        this.#emit('createTrigger', statement(createTrigger(trigger, placement)));
        existing.add(id(trigger));
      });
    }
  }

  // ── events ────────────────────────────────────────────────────────────

  #events(): void {
    const toEvents = new Map(this.#to.events.map((e) => [e.name, e]));
    const changed = new Map<string, Set<string>>();
    for (const change of this.#changesOf((k) => k === 'event')) {
      const name = change.path.name;
      if (change.action === 'removed') {
        this.#emit('dropEvent', statement(`DROP EVENT ${quoteIdent(name)}`, { destructive: `drops event ${name}` }));
      } else if (change.action === 'added') {
        this.#emit('event', statement(createEvent(toEvents.get(name)!)));
      } else if (change.action === 'renamed') {
        this.#emit('event', statement(`ALTER EVENT ${quoteIdent(change.fromPath.name)} RENAME TO ${quoteIdent(name)}`));
      } else {
        changed.set(name, (changed.get(name) ?? new Set()).add(change.attribute));
      }
    }
    for (const [name, attributes] of changed) {
      const event = toEvents.get(name)!;
      const clauses = eventClauses(event, {
        schedule: attributes.has('schedule'),
        completion: attributes.has('onCompletion'),
        status: attributes.has('status'),
        comment: attributes.has('comment'),
        body: attributes.has('body'),
      });
      // ALTER EVENT needs a clause; restating the completion changes nothing.
      if (clauses.length === 0) clauses.push(...eventClauses(event, { completion: true }));
      this.#emit('event', statement(eventStatement(event, 'ALTER', clauses, attributes.has('owner'))));
    }
  }
}

function dropForeignKey(table: Table, fk: ForeignKey): MigrationStatement {
  return statement(`ALTER TABLE ${tableName(table.schema, table.name)} DROP FOREIGN KEY ${quoteIdent(fk.name!)}`);
}

/** RENAME INDEX: MariaDB 10.5.2+, MySQL 5.7+. */
function renameIndexSupported(snapshot: SchemaSnapshot): boolean {
  const version = snapshot.server.version;
  return snapshot.server.product === 'MariaDB' ? versionAtLeast(version, '10.5.2') : versionAtLeast(version, '5.7');
}

/**
 * Removed tables in an order DROP TABLE accepts: a table that references another goes
 * before it. Foreign keys in a cycle among them are dropped first (through `dropForeignKey`).
 */
function dropOrder(
  names: ReadonlySet<string>,
  tables: ReadonlyMap<string, Table>,
  dropForeignKey: (table: Table, fk: ForeignKey) => void,
): string[] {
  const pending = new Set([...names].sort());
  const order: string[] = [];
  const referencedBy = (name: string) =>
    [...pending].filter((other) => other !== name && tables.get(other)!.foreignKeys.some((fk) => fk.referencedTable === name));
  while (pending.size > 0) {
    const free = [...pending].find((name) => referencedBy(name).length === 0);
    if (free !== undefined) {
      order.push(free);
      pending.delete(free);
      continue;
    }
    // A cycle: break it at the first table by dropping its foreign keys to the others.
    const first = [...pending][0]!;
    const table = tables.get(first)!;
    for (const fk of table.foreignKeys) {
      if (fk.name !== null && pending.has(fk.referencedTable) && fk.referencedTable !== first) dropForeignKey(table, fk);
    }
    order.push(first);
    pending.delete(first);
    // Tables it referenced may now be free; those referencing it were handled by dropping first.
    for (const other of [...pending]) {
      const otherTable = tables.get(other)!;
      for (const fk of otherTable.foreignKeys) {
        if (fk.name !== null && fk.referencedTable === first) dropForeignKey(otherTable, fk);
      }
    }
  }
  return order;
}

/** Views in creation order: each after the views (being created) that it reads; name order otherwise. */
function viewOrder(names: ReadonlySet<string>, views: ReadonlyMap<string, View>): string[] {
  const dependencies = new Map(
    [...names].map((name) => [name, [...backquotedNames(views.get(name)!.definition)].filter((n) => n !== name && names.has(n))]),
  );
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name) !== undefined) return;
    state.set(name, 'visiting');
    for (const dependency of dependencies.get(name) ?? []) visit(dependency);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of [...names].sort()) visit(name);
  return order;
}
