import { SchemaguardError } from '../../core/errors.js';
import type { Change } from '../../diff/change.js';
import { statement, type MigrationStatement } from '../../diff/migration-script.js';
import type { CheckConstraint, Column, ForeignKey, Index, IndexKey, SchemaSnapshot, Table, Trigger, View } from '../../snapshot/model.js';
import type { MigrationGenerator } from '../migration-generator.js';
import {
  checkClause,
  columnDefinition,
  createIndex,
  createTable,
  createTrigger,
  createView,
  foreignKeyClause,
  isConstantDefault,
  isNullDefault,
  isVirtualTable,
  primaryKeyClause,
  uniqueClause,
} from './sqlite-ddl.js';
import { foldName, Mentions } from './sqlite-mentions.js';
import { quoteIdent, quoteLiteral } from './sqlite-quote.js';
import { columnAffinity, type Affinity } from './sqlite-types.js';

/**
 * DDL that turns one SQLite schema into another, in an order SQLite accepts:
 *
 * 1. triggers and views that are removed, changed or renamed are dropped (with the views and
 *    triggers that read them), then removed indexes and tables;
 * 2. tables are renamed, new tables created with their indexes;
 * 3. each changed table is altered: ALTER TABLE where SQLite can (RENAME COLUMN, ADD COLUMN,
 *    DROP COLUMN), otherwise the 12-step rebuild of https://sqlite.org/lang_altertable.html#otheralter,
 *    which drops and recreates, inside its transaction, the views and triggers that read the
 *    table (renaming the new table makes SQLite re-check every view and trigger, and the old
 *    table is gone by then);
 * 4. new and changed indexes, views (each after the views it reads) and triggers are created.
 *
 * Definitions come from the snapshots; `changes` says which objects to touch.
 */
export const generateSqliteMigration: MigrationGenerator = (from, to, changes) => new SqliteMigrationPlanner(from, to, changes).plan();

const q = quoteIdent;

/** Objects looked up by name the way SQLite resolves names: folding ASCII case. */
class ByName<T extends { name: string }> {
  readonly #items = new Map<string, T>();

  constructor(items: readonly T[]) {
    for (const item of items) this.#items.set(foldName(item.name), item);
  }

  get(name: string): T | undefined {
    return this.#items.get(foldName(name));
  }

  has(name: string): boolean {
    return this.#items.has(foldName(name));
  }

  values(): T[] {
    return [...this.#items.values()];
  }
}

/** A column added with ALTER TABLE ADD COLUMN, with the constraints written on it. */
interface AddedColumn {
  readonly column: Column;
  readonly references: ForeignKey[];
  readonly checks: CheckConstraint[];
}

/** What happens to one table that exists before and after. */
type TableWork =
  | { readonly kind: 'indexes only'; readonly from: Table; readonly to: Table }
  | {
      readonly kind: 'alter';
      readonly from: Table;
      readonly to: Table;
      readonly renames: readonly { readonly from: string; readonly to: string }[];
      readonly adds: readonly AddedColumn[];
      readonly drops: readonly Column[];
    }
  | { readonly kind: 'rebuild'; readonly from: Table; readonly to: Table; readonly changes: readonly Change[]; readonly renamedFrom: ReadonlyMap<string, string> }
  | { readonly kind: 'recreate virtual'; readonly from: Table; readonly to: Table };

const CONSTRAINT_KINDS = new Set(['primary key', 'unique constraint', 'foreign key', 'check constraint']);

class SqliteMigrationPlanner {
  readonly #from: SchemaSnapshot;
  readonly #to: SchemaSnapshot;
  readonly #changes: readonly Change[];
  readonly #fromTables: ByName<Table>;
  readonly #toTables: ByName<Table>;
  readonly #fromViews: ByName<View>;
  readonly #toViews: ByName<View>;
  readonly #fromTriggers: ByName<Trigger>;
  readonly #toTriggers: ByName<Trigger>;

  /** Changes per table (by its name after), for tables that exist before and after. */
  readonly #tableChanges = new Map<string, Change[]>();
  readonly #addedTables: Table[] = [];
  readonly #removedTables: Table[] = [];
  readonly #renamedTables: { from: Table; to: Table }[] = [];
  /** Views and triggers (names before) dropped because the diff removes, changes or renames them. */
  readonly #viewsChanged = new Map<string, { removed: boolean }>();
  readonly #triggersChanged = new Map<string, { removed: boolean }>();
  /**
   * Removed views and triggers dropped at the very end: until then they stay, and what a
   * rebuild drops of them it creates again, so a reviewer who leaves their DROP out (no
   * --allow-destructive) keeps them. Only those that read a removed table or column go first.
   */
  readonly #lateViews = new Set<string>();
  readonly #lateTriggers = new Set<string>();
  /** Tables the script rebuilds (folded names). */
  readonly #rebuilt = new Set<string>();
  /** Removed indexes a rebuild keeps (their DROP INDEX comes after it), per table. */
  readonly #keptIndexes = new Map<string, Index[]>();
  /** Views and triggers (names after) the diff adds, changes or renames into place. */
  readonly #viewsWanted = new Set<string>();
  readonly #triggersWanted = new Set<string>();

  /** Views and triggers that exist at this point of the script (folded names). */
  readonly #liveViews = new Set<string>();
  readonly #liveTriggers = new Set<string>();
  /** Views and triggers still to create (folded names → definition after). */
  readonly #viewsToCreate = new Map<string, View>();
  readonly #triggersToCreate = new Map<string, Trigger>();
  /** Relations not in their final shape yet: tables still to rebuild, views still to create. */
  readonly #pending = new Set<string>();
  readonly #mentions = new Map<object, Mentions>();
  /** Triggers by the relation they sit on, and tables by the tables they reference (folded names). */
  readonly #fromTriggersOn: Map<string, Trigger[]>;
  readonly #toTriggersOn: Map<string, Trigger[]>;
  readonly #fromChildren: Map<string, Table[]>;
  readonly #toChildren: Map<string, Table[]>;
  #readerIndex: {
    index: Map<string, { views: Set<string>; triggers: Set<string> }>;
    unreadable: { views: Set<string>; triggers: Set<string> };
  } | null = null;
  /** Every name an object before or after has, and the temporary names handed out (folded). */
  #takenNames: Set<string> | null = null;

  constructor(from: SchemaSnapshot, to: SchemaSnapshot, changes: readonly Change[]) {
    this.#from = from;
    this.#to = to;
    this.#changes = changes;
    this.#fromTables = new ByName(from.tables);
    this.#toTables = new ByName(to.tables);
    this.#fromViews = new ByName(from.views);
    this.#toViews = new ByName(to.views);
    this.#fromTriggers = new ByName(from.triggers);
    this.#toTriggers = new ByName(to.triggers);
    this.#fromTriggersOn = groupBy(from.triggers, (t) => [foldName(t.table)]);
    this.#toTriggersOn = groupBy(to.triggers, (t) => [foldName(t.table)]);
    const parents = (table: Table) => [...new Set(table.foreignKeys.map((fk) => foldName(fk.referencedTable)))].filter((p) => p !== foldName(table.name));
    this.#fromChildren = groupBy(from.tables, parents);
    this.#toChildren = groupBy(to.tables, parents);
    for (const view of from.views) this.#liveViews.add(foldName(view.name));
    for (const trigger of from.triggers) this.#liveTriggers.add(foldName(trigger.name));
  }

  plan(): MigrationStatement[] {
    for (const change of this.#changes) this.#classify(change);
    const work = parentsFirst(
      [...this.#tableChanges.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, changes]) => this.#planTable(name, changes)),
    );
    const recreatedVirtual = work.filter((w) => w.kind === 'recreate virtual');

    for (const w of work) if (w.kind === 'rebuild' || w.kind === 'alter') this.#pending.add(foldName(w.to.name));
    for (const name of this.#viewsWanted) this.#pending.add(foldName(name));

    this.#chooseLateDrops(work);
    const statements: MigrationStatement[] = [];
    statements.push(...this.#dropChangedViewsAndTriggers(recreatedVirtual.map((w) => w.from.name)));
    statements.push(...this.#dropIndexes(work));
    statements.push(...this.#dropTables([...this.#removedTables, ...recreatedVirtual.map((w) => w.from)], new Set(recreatedVirtual.map((w) => w.from))));
    for (const { from, to } of this.#renamedTables) statements.push(this.#renameTable(from, to));
    for (const table of [...this.#addedTables, ...recreatedVirtual.map((w) => w.to)]) {
      statements.push(statement(createTable(table)));
      for (const index of table.indexes) statements.push(statement(createIndex(table.name, index)));
      for (const trigger of this.#toTriggersOn.get(foldName(table.name)) ?? []) this.#wantTrigger(trigger);
    }
    for (const w of work) {
      if (w.kind === 'alter') {
        statements.push(...this.#alter(w));
        this.#pending.delete(foldName(w.to.name));
      }
      else if (w.kind === 'rebuild') statements.push(this.#rebuild(w));
    }
    statements.push(...this.#createIndexes(work));
    statements.push(...this.#createRemaining());
    statements.push(...this.#dropLate(work));
    return statements;
  }

  // ── classification ────────────────────────────────────────────────────────────────────

  #classify(change: Change): void {
    switch (change.kind) {
      case 'table':
        if (change.action === 'added') this.#addedTables.push(this.#toTable(change.path.name));
        else if (change.action === 'removed') this.#removedTables.push(this.#fromTable(change.path.name));
        else if (change.action === 'renamed') {
          this.#renamedTables.push({ from: this.#fromTable(change.fromPath.name), to: this.#toTable(change.path.name) });
        } else if (change.attribute === 'name') {
          this.#renamedTables.push({ from: this.#fromTable(change.path.name), to: this.#toTable(change.path.name) });
        } else this.#changesOf(change.path.name).push(change);
        return;
      case 'column':
      case 'primary key':
      case 'unique constraint':
      case 'foreign key':
      case 'check constraint':
      case 'index':
        this.#changesOf(change.path.table ?? change.path.name).push(change);
        return;
      case 'view':
        if (change.action !== 'added') {
          const before = change.action === 'renamed' ? change.fromPath.name : change.path.name;
          this.#viewsChanged.set(foldName(before), { removed: change.action === 'removed' });
        }
        if (change.action !== 'removed') this.#viewsWanted.add(change.path.name);
        return;
      case 'trigger':
        if (change.action !== 'added') {
          const before = change.action === 'renamed' ? change.fromPath.name : change.path.name;
          this.#triggersChanged.set(foldName(before), { removed: change.action === 'removed' });
        }
        if (change.action !== 'removed') this.#triggersWanted.add(change.path.name);
        return;
      case 'namespace':
        return;
      default:
        throw new SchemaguardError(`cannot write SQLite SQL for ${change.kind} ${change.name}: SQLite has no ${change.kind}s`, {
          hint: 'compare two SQLite schemas, or use --format text',
        });
    }
  }

  #changesOf(table: string): Change[] {
    let list = this.#tableChanges.get(table);
    if (list === undefined) this.#tableChanges.set(table, (list = []));
    return list;
  }

  #fromTable(name: string): Table {
    const table = this.#fromTables.get(name);
    if (table === undefined) throw new SchemaguardError(`the diff names table ${name}, which the first snapshot does not have`);
    return table;
  }

  #toTable(name: string): Table {
    const table = this.#toTables.get(name);
    if (table === undefined) throw new SchemaguardError(`the diff names table ${name}, which the second snapshot does not have`);
    return table;
  }

  #mentionsOf(object: View | Trigger | CheckConstraint | Index | Column): Mentions {
    let found = this.#mentions.get(object);
    if (found === undefined) {
      if ('definition' in object) found = Mentions.of(object.definition);
      else if ('action' in object) found = Mentions.of(object.table, object.condition, object.action, ...object.updateColumns);
      else if ('keys' in object) found = Mentions.of(object.predicate, ...object.keys.map((k) => (k.kind === 'column' ? k.column : k.expression)));
      else if ('expression' in object) found = Mentions.of(object.expression);
      else found = Mentions.of(object.generated?.expression ?? null);
      this.#mentions.set(object, found);
    }
    return found;
  }

  // ── what each table needs ─────────────────────────────────────────────────────────────

  #planTable(name: string, changes: readonly Change[]): TableWork {
    const from = this.#fromTable(name);
    const to = this.#toTable(name);
    const followed = this.#followsRenamedParent(changes);
    const structural = changes.filter((c) => c.kind !== 'index' && !followed.has(c) && !isRespelledReference(c));
    if (structural.length === 0) return { kind: 'indexes only', from, to };
    if (isVirtualTable(from) || isVirtualTable(to)) return { kind: 'recreate virtual', from, to };
    const rebuild = (): TableWork => ({
      kind: 'rebuild',
      from,
      to,
      changes,
      renamedFrom: new Map(
        changes.flatMap((c) => (c.kind === 'column' && c.action === 'renamed' ? [[foldName(c.path.name), c.fromPath.name] as const] : [])),
      ),
    });

    const columnChanges = structural.filter((c) => c.kind === 'column');
    // A column whose only change is the spelling of its name is renamed in place.
    const respelled = columnChanges.flatMap((c) => (c.action === 'changed' && c.attribute === 'name' ? [c] : []));
    const otherwiseChanged = new Set(columnChanges.flatMap((c) => (c.action === 'changed' && c.attribute !== 'name' ? [c.path.name] : [])));
    if (structural.some((c) => c.kind === 'table') || otherwiseChanged.size > 0) return rebuild();
    const added = columnChanges.filter((c) => c.action === 'added').map((c) => c.object as Column);
    const removed = columnChanges.filter((c) => c.action === 'removed').map((c) => c.object as Column);
    const renames = [
      ...columnChanges.flatMap((c) => (c.action === 'renamed' ? [{ from: c.fromPath.name, to: c.path.name }] : [])),
      ...respelled.flatMap((c) => (c.action === 'changed' ? [{ from: String(c.before), to: String(c.after) }] : [])),
    ];
    // A name that only changes case is one column to SQLite: copy it in a rebuild.
    const removedNames = new Set(removed.map((c) => foldName(c.name)));
    if (added.some((c) => removedNames.has(foldName(c.name)))) return rebuild();

    const adds: AddedColumn[] = added.map((column) => ({ column, references: [], checks: [] }));
    const addedByName = new Map(adds.map((a) => [foldName(a.column.name), a] as const));
    for (const change of structural.filter((c) => CONSTRAINT_KINDS.has(c.kind))) {
      if (change.action !== 'added') return rebuild();
      if (change.kind === 'foreign key') {
        const fk = change.object as ForeignKey;
        const target = fk.columns.length === 1 ? addedByName.get(foldName(fk.columns[0]!)) : undefined;
        if (target === undefined || !isNullDefault(target.column.default)) return rebuild();
        target.references.push(fk);
      } else if (change.kind === 'check constraint') {
        const check = change.object as CheckConstraint;
        const target = adds.find((a) => this.#mentionsOf(check).has(a.column.name));
        if (target === undefined) return rebuild();
        target.checks.push(check);
      } else {
        return rebuild();
      }
    }
    if (!adds.every((a) => canAddColumn(a.column, to))) return rebuild();
    const droppedIndexes = new Set(
      this.#indexChanges(name)
        .filter((c) => c.action !== 'added')
        .map((c) => foldName(c.action === 'renamed' ? c.fromPath.name : c.path.name)),
    );
    if (!removed.every((column) => this.#canDropColumn(column, from, droppedIndexes))) return rebuild();
    return { kind: 'alter', from, to, renames, adds, drops: removed };
  }

  /**
   * ALTER TABLE DROP COLUMN refuses a column that is part of a key, a UNIQUE or a foreign
   * key, indexed, or read by a CHECK or another column's generated expression
   * (https://sqlite.org/lang_altertable.html#altertabdropcol).
   */
  #canDropColumn(column: Column, table: Table, droppedIndexes: ReadonlySet<string>): boolean {
    const name = foldName(column.name);
    const names = (columns: readonly string[]) => columns.some((c) => foldName(c) === name);
    if (table.primaryKey !== null && names(table.primaryKey.columns)) return false;
    if (table.uniqueConstraints.some((u) => names(u.columns)) || table.foreignKeys.some((f) => names(f.columns))) return false;
    if (table.indexes.some((index) => !droppedIndexes.has(foldName(index.name)) && this.#mentionsOf(index).has(column.name))) return false;
    if (table.checks.some((check) => this.#mentionsOf(check).has(column.name))) return false;
    return !table.columns.some((other) => other !== column && other.generated !== null && this.#mentionsOf(other).has(column.name));
  }

  // ── drops ─────────────────────────────────────────────────────────────────────────────

  /**
   * Drops the views and triggers the diff removes, changes or renames, and every view and
   * trigger that reads one of them (or a virtual table about to be recreated), so no view is
   * left reading something missing when a later statement renames a table.
   */
  #dropChangedViewsAndTriggers(recreatedTables: readonly string[]): MigrationStatement[] {
    const views = new Set([...this.#viewsChanged.keys()].filter((name) => !this.#lateViews.has(name)));
    const gone = new Set([...views, ...recreatedTables.map(foldName), ...this.#removedTables.map((t) => foldName(t.name))]);
    const dependentViews = this.#dependentViews(gone);
    for (const view of dependentViews) views.add(view);
    const allGone = new Set([...gone, ...dependentViews]);
    const triggers = new Set([...this.#triggersChanged.keys()].filter((name) => !this.#lateTriggers.has(name)));
    for (const trigger of this.#from.triggers) {
      const name = foldName(trigger.name);
      if (triggers.has(name)) continue;
      if (allGone.has(foldName(trigger.table)) || this.#mentionsOf(trigger).hasAny(allGone)) triggers.add(name);
    }

    const statements: MigrationStatement[] = [];
    const droppedWithTable = new Set(this.#removedTables.map((t) => foldName(t.name)));
    for (const name of [...triggers].sort()) {
      const trigger = this.#fromTriggers.get(name)!;
      // A trigger on a table to rebuild goes with the old table, inside the rebuild, which creates
      // the new one: a rebuild left out (destructive) then leaves the old trigger in place.
      if (this.#isRebuilt(trigger.table) && !this.#mentionsOf(trigger).hasAnyFolded(allGone)) continue;
      this.#liveTriggers.delete(name);
      const kept = this.#keptTrigger(name);
      if (kept !== undefined && (!this.#triggersChanged.has(name) || this.#lateTriggers.has(name))) this.#wantTrigger(kept);
      // A trigger goes with its table or view; only the one whose relation stays is dropped by name.
      if (droppedWithTable.has(foldName(trigger.table))) continue;
      // One on a table to rebuild goes with the old table: the rebuild says so.
      if (this.#isRebuilt(trigger.table) && !this.#lateTriggers.has(name) && this.#triggersChanged.get(name)?.removed === true) continue;
      const removed = this.#triggersChanged.get(name)?.removed === true && !this.#lateTriggers.has(name);
      statements.push(statement(`DROP TRIGGER ${q(trigger.name)}`, { destructive: removed ? `drops trigger ${trigger.name}` : null }));
    }
    for (const name of this.#dependentsFirst([...views])) {
      const view = this.#fromViews.get(name)!;
      this.#liveViews.delete(name);
      const kept = this.#keptView(name);
      if (kept !== undefined && (!this.#viewsChanged.has(name) || this.#lateViews.has(name))) this.#wantView(kept);
      const removed = this.#viewsChanged.get(name)?.removed === true && !this.#lateViews.has(name);
      statements.push(statement(`DROP VIEW ${q(view.name)}`, { destructive: removed ? `drops view ${view.name}` : null }));
    }
    for (const name of this.#viewsWanted) this.#wantView(this.#toViews.get(name)!);
    for (const name of this.#triggersWanted) this.#wantTrigger(this.#toTriggers.get(name)!);
    return statements;
  }

  /** The definition of a view or trigger that exists at this point: the one after, else the one before. */
  #liveView(name: string): View {
    return this.#toViews.get(name) ?? this.#fromViews.get(name)!;
  }

  #liveTrigger(name: string): Trigger {
    return this.#toTriggers.get(name) ?? this.#fromTriggers.get(name)!;
  }

  /** What to create again after dropping a view or trigger on the way: its definition after, or before for one dropped at the end. */
  #keptView(name: string): View | undefined {
    return this.#toViews.get(name) ?? (this.#lateViews.has(foldName(name)) ? this.#fromViews.get(name) : undefined);
  }

  #keptTrigger(name: string): Trigger | undefined {
    return this.#toTriggers.get(name) ?? (this.#lateTriggers.has(foldName(name)) ? this.#fromTriggers.get(name) : undefined);
  }

  #isRebuilt(table: string): boolean {
    return this.#rebuilt.has(foldName(table));
  }

  /**
   * Which removed views, triggers and indexes can wait for the end of the script: those that
   * read no removed table and no column that goes away. The others are dropped first (or, for
   * a trigger or index on a rebuilt table, with the old table, and the rebuild says so).
   */
  #chooseLateDrops(work: readonly TableWork[]): void {
    for (const w of work) if (w.kind === 'rebuild') this.#rebuilt.add(foldName(w.to.name));
    const goingAway = new Set(this.#removedTables.map((t) => foldName(t.name)));
    for (const w of work) {
      for (const column of this.#lostColumns(w)) goingAway.add(foldName(column.name));
    }
    const removedViews = [...this.#viewsChanged].filter(([, v]) => v.removed).map(([name]) => name);
    for (let grew = true; grew; ) {
      grew = false;
      for (const name of removedViews) {
        if (this.#lateViews.has(name) || goingAway.has(name)) continue;
        if (this.#mentionsOf(this.#fromViews.get(name)!).hasAnyFolded(goingAway)) {
          goingAway.add(name);
          grew = true;
        }
      }
    }
    for (const name of removedViews) if (!goingAway.has(name)) this.#lateViews.add(name);
    for (const [name, change] of this.#triggersChanged) {
      const trigger = this.#fromTriggers.get(name)!;
      if (change.removed && !goingAway.has(foldName(trigger.table)) && !this.#mentionsOf(trigger).hasAnyFolded(goingAway)) this.#lateTriggers.add(name);
    }
    for (const w of work) {
      if (w.kind !== 'rebuild') continue;
      const columns = new Set(w.to.columns.map((c) => foldName(c.name)));
      const lost = new Set(this.#lostColumns(w).map((c) => foldName(c.name)));
      const keepable = (index: Index) =>
        index.keys.every((key) => key.kind !== 'column' || columns.has(foldName(key.column))) && !this.#mentionsOf(index).hasAnyFolded(lost);
      const removed = this.#indexChanges(w.to.name).filter((c) => c.action === 'removed').map((c) => c.object as Index);
      this.#keptIndexes.set(foldName(w.to.name), removed.filter(keepable));
    }
  }

  /** Columns of a table that are gone after its work: removed, or not copied by its rebuild. */
  #lostColumns(work: TableWork): Column[] {
    if (work.kind === 'alter') return [...work.drops];
    if (work.kind !== 'rebuild') return [];
    const copied = new Set(this.#copiedColumns(work).map(([, source]) => source));
    return work.from.columns.filter((c) => !copied.has(c));
  }

  /** The removed views and triggers left for the end, and the removed indexes rebuilds kept. */
  #dropLate(work: readonly TableWork[]): MigrationStatement[] {
    const statements: MigrationStatement[] = [];
    for (const w of work) {
      for (const index of this.#keptIndexes.get(foldName(w.to.name)) ?? []) {
        statements.push(statement(`DROP INDEX ${q(index.name)}`, { destructive: `drops index ${index.name}` }));
      }
    }
    for (const name of [...this.#lateTriggers].sort()) {
      const trigger = this.#fromTriggers.get(name)!;
      statements.push(statement(`DROP TRIGGER ${q(trigger.name)}`, { destructive: `drops trigger ${trigger.name}` }));
    }
    for (const name of this.#dependentsFirst([...this.#lateViews])) {
      const view = this.#fromViews.get(name)!;
      statements.push(statement(`DROP VIEW ${q(view.name)}`, { destructive: `drops view ${view.name}` }));
    }
    return statements;
  }

  /** Live views that read any of `names`, directly or through another view (folded names). */
  #dependentViews(names: ReadonlySet<string>): Set<string> {
    const dependents = new Set<string>();
    const reached = new Set(names);
    const queue = [...names];
    while (queue.length > 0) {
      const read = queue.pop()!;
      for (const name of this.#readers(read).views) {
        if (reached.has(name) || !this.#liveViews.has(name) || !this.#mentionsOf(this.#liveView(name)).hasAnyFolded(new Set([read]))) continue;
        dependents.add(name);
        reached.add(name);
        queue.push(name);
      }
    }
    return dependents;
  }

  /**
   * The views and triggers (folded names, before or after) whose text mentions `name`: an
   * index built once, so finding what reads a table does not walk the whole schema. Callers
   * check the definition in place at that point of the script.
   */
  #readers(name: string): { views: ReadonlySet<string>; triggers: ReadonlySet<string> } {
    if (this.#readerIndex === null) {
      const index = new Map<string, { views: Set<string>; triggers: Set<string> }>();
      const unreadable = { views: new Set<string>(), triggers: new Set<string>() };
      const add = (kind: 'views' | 'triggers', object: View | Trigger) => {
        const names = this.#mentionsOf(object).names();
        if (names === null) unreadable[kind].add(foldName(object.name));
        for (const mentioned of names ?? []) {
          let entry = index.get(mentioned);
          if (entry === undefined) index.set(mentioned, (entry = { views: new Set(), triggers: new Set() }));
          entry[kind].add(foldName(object.name));
        }
      };
      for (const snapshot of [this.#from, this.#to]) {
        for (const view of snapshot.views) add('views', view);
        for (const trigger of snapshot.triggers) add('triggers', trigger);
      }
      this.#readerIndex = { index, unreadable };
    }
    const { index, unreadable } = this.#readerIndex;
    const entry = index.get(name);
    if (unreadable.views.size === 0 && unreadable.triggers.size === 0) return entry ?? unreadable;
    return {
      views: new Set([...(entry?.views ?? []), ...unreadable.views]),
      triggers: new Set([...(entry?.triggers ?? []), ...unreadable.triggers]),
    };
  }

  /** Live views in drop order: a view before the views it reads. */
  #dependentsFirst(names: readonly string[]): string[] {
    const views = names.map((name) => this.#liveView(name));
    return dependencyOrder(views, (view) => this.#mentionsOf(view)).reverse().map((v) => foldName(v.name));
  }

  /** The index changes of a table that need SQL: one entry per index, whatever number of its attributes changed. */
  #indexChanges(table: string): Change[] {
    const seen = new Set<string>();
    return (this.#tableChanges.get(table) ?? []).filter((change) => {
      if (change.kind !== 'index' || isRespelledIndex(change)) return false;
      const key = `${change.action}\u0000${foldName(change.path.name)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  #dropIndexes(work: readonly TableWork[]): MigrationStatement[] {
    const statements: MigrationStatement[] = [];
    for (const w of work) {
      if (w.kind === 'recreate virtual') continue;
      for (const change of this.#indexChanges(w.to.name)) {
        if (change.action === 'added') continue;
        // A rebuild drops the old table's indexes with it and creates the new ones (and the removed ones it keeps).
        if (w.kind === 'rebuild') continue;
        const name = change.action === 'renamed' ? change.fromPath.name : change.path.name;
        statements.push(statement(`DROP INDEX ${q(name)}`, { destructive: change.action === 'removed' ? `drops index ${name}` : null }));
      }
    }
    return statements;
  }

  /** DROP TABLE for each, a table before the tables it references (with foreign keys on, the other order can fail). */
  #dropTables(tables: readonly Table[], recreated: ReadonlySet<Table>): MigrationStatement[] {
    const dropped = new Set(tables.map((t) => foldName(t.name)));
    const children = new Map<string, string[]>();
    for (const table of tables) {
      for (const fk of table.foreignKeys) {
        const parent = foldName(fk.referencedTable);
        if (parent !== foldName(table.name)) children.set(parent, [...(children.get(parent) ?? []), foldName(table.name)]);
      }
    }
    // Children first: a table waits for the tables that reference it.
    const ordered = stableOrder(tables, (t) => foldName(t.name), (t) => children.get(foldName(t.name)) ?? []);
    return ordered.map((table) => {
      const referencedBy = (this.#fromChildren.get(foldName(table.name)) ?? []).filter((other) => !dropped.has(foldName(other.name)));
      const hazards = referencedBy.length === 0 ? [] : [`with foreign keys on, dropping it applies the ON DELETE actions of ${referencedBy.map((t) => t.name).join(', ')} to the rows that reference it (or fails)`];
      const destructive = recreated.has(table)
        ? `recreates virtual table ${table.name}: its rows are not kept`
        : `drops table ${table.name} and its rows`;
      return statement(`DROP TABLE ${q(table.name)}`, { destructive, hazards });
    });
  }

  // ── ALTER TABLE ───────────────────────────────────────────────────────────────────────

  /** SQLite refuses a rename that only changes case (the names are one): it goes through a free name. */
  #renameTable(from: Table, to: Table): MigrationStatement {
    if (foldName(from.name) !== foldName(to.name)) return statement(`ALTER TABLE ${q(from.name)} RENAME TO ${q(to.name)}`);
    const between = this.#freeName(`renamed_${to.name}`);
    return statement(`ALTER TABLE ${q(from.name)} RENAME TO ${q(between)};\nALTER TABLE ${q(between)} RENAME TO ${q(to.name)}`);
  }

  /**
   * Foreign keys whose only change is the parent's new name: ALTER TABLE … RENAME TO rewrites
   * them in every child, so they need nothing of their own.
   */
  #followsRenamedParent(changes: readonly Change[]): Set<Change> {
    const renamed = new Map(this.#renamedTables.map(({ from, to }) => [foldName(from.name), foldName(to.name)] as const));
    const parentAfter = (name: string) => renamed.get(foldName(name)) ?? foldName(name);
    const followed = new Set<Change>();
    for (const change of changes) {
      if (change.kind === 'foreign key' && change.action === 'changed' && change.attribute === 'referencedTable') {
        if (parentAfter(String(change.before)) === foldName(String(change.after))) followed.add(change);
      }
    }
    const removed = changes.flatMap((c) => (c.kind === 'foreign key' && c.action === 'removed' ? [c] : []));
    for (const added of changes.flatMap((c) => (c.kind === 'foreign key' && c.action === 'added' ? [c] : []))) {
      const after = added.object as ForeignKey;
      const match = removed.find((r) => {
        const before = r.object as ForeignKey;
        return !followed.has(r) && parentAfter(before.referencedTable) === foldName(after.referencedTable) &&
          JSON.stringify({ ...before, referencedTable: '' }) === JSON.stringify({ ...after, referencedTable: '' });
      });
      if (match !== undefined) {
        followed.add(match);
        followed.add(added);
      }
    }
    return followed;
  }

  #alter(work: Extract<TableWork, { kind: 'alter' }>): MigrationStatement[] {
    const table = q(work.to.name);
    const statements: MigrationStatement[] = [];
    for (const rename of work.renames) statements.push(statement(`ALTER TABLE ${table} RENAME COLUMN ${q(rename.from)} TO ${q(rename.to)}`));
    for (const { column, references, checks } of work.adds) {
      const hazards: string[] = [];
      if (!column.nullable && column.generated !== null) hazards.push(`fails if existing rows violate it: ${column.name} NOT NULL`);
      for (const check of checks) hazards.push(`fails if existing rows violate it: ${checkClause(check)}`);
      statements.push(statement(`ALTER TABLE ${table} ADD COLUMN ${columnDefinition(column, { references, checks })}`, { hazards }));
    }
    for (const column of work.drops) {
      statements.push(
        statement(`ALTER TABLE ${table} DROP COLUMN ${q(column.name)}`, {
          destructive: `drops column ${work.to.name}.${column.name} and its values`,
          hazards: ['rewrites every row of the table'],
        }),
      );
    }
    return statements;
  }

  // ── the 12-step rebuild ───────────────────────────────────────────────────────────────

  #rebuild(work: Extract<TableWork, { kind: 'rebuild' }>): MigrationStatement {
    const { from, to } = work;
    const folded = foldName(to.name);
    const temporary = this.#freeName(`new_${to.name}`);
    const body: string[] = [];

    // What reads the table must not exist when the new table is renamed into place.
    const views = this.#dependentViews(new Set([folded]));
    const read = new Set([folded, ...views]);
    const candidates = new Set([...read].flatMap((name) => [...this.#readers(name).triggers]));
    const triggers = [...candidates]
      .filter((name) => this.#liveTriggers.has(name))
      .map((name) => this.#liveTrigger(name))
      .filter((t) => foldName(t.table) !== folded && this.#mentionsOf(t).hasAnyFolded(read))
      .sort(byTableThenName);
    // What this rebuild drops it creates again (when what it reads is ready), and nothing else:
    // left out, the rebuild then leaves everything as it was.
    const local = new Set<string>();
    for (const trigger of triggers) {
      local.add(foldName(trigger.name));
      body.push(`DROP TRIGGER ${q(trigger.name)}`);
      this.#liveTriggers.delete(foldName(trigger.name));
      this.#wantTrigger(this.#keptTrigger(trigger.name) ?? trigger);
    }
    for (const name of this.#dependentsFirst([...views])) {
      const view = this.#liveView(name);
      local.add(name);
      body.push(`DROP VIEW ${q(view.name)}`);
      this.#liveViews.delete(name);
      this.#wantView(view);
      this.#dropTriggersOn(name);
    }
    // The table's own triggers go with it.
    this.#dropTriggersOn(folded);

    body.push(createTable(to, temporary));
    const copied = this.#copiedColumns(work);
    if (copied.length > 0) {
      body.push(
        `INSERT INTO ${q(temporary)} (${copied.map(([target]) => q(target.name)).join(', ')})\n  SELECT ${copied.map(([, source]) => q(source.name)).join(', ')} FROM ${q(from.name)}`,
      );
    }
    if (from.columns.some((c) => c.autoIncrement) && to.columns.some((c) => c.autoIncrement)) {
      // AUTOINCREMENT never reuses a number: carry the counter over, not just the highest key copied.
      body.push(`DELETE FROM sqlite_sequence WHERE name = ${quoteLiteral(temporary)}`);
      body.push(`INSERT INTO sqlite_sequence (name, seq) SELECT ${quoteLiteral(temporary)}, seq FROM sqlite_sequence WHERE name = ${quoteLiteral(from.name)}`);
    }
    body.push(`DROP TABLE ${q(from.name)}`);
    body.push(`ALTER TABLE ${q(temporary)} RENAME TO ${q(to.name)}`);
    for (const index of [...to.indexes, ...(this.#keptIndexes.get(folded) ?? [])]) body.push(createIndex(to.name, index));
    this.#pending.delete(folded);
    for (const trigger of [...(this.#toTriggersOn.get(folded) ?? []), ...(this.#fromTriggersOn.get(folded) ?? [])]) local.add(foldName(trigger.name));
    for (const name of views) for (const trigger of this.#toTriggersOn.get(name) ?? []) local.add(foldName(trigger.name));
    body.push(...this.#createReady(local).map((s) => s.sql));
    body.push(...this.#foreignKeyChecks(to).map((table) => `PRAGMA foreign_key_check(${q(table)})`));

    const sql = ['PRAGMA foreign_keys=OFF', 'BEGIN', ...body, 'COMMIT', 'PRAGMA foreign_keys=ON'].map((line) => `${line};`).join('\n');
    return statement(sql, { destructive: this.#rebuildLosses(work, copied), hazards: this.#rebuildHazards(work) });
  }

  /**
   * The tables whose foreign keys a rebuild of `table` can break: its own, and those of the
   * tables that reference it and are already in their final shape. A table still waiting for
   * its own rebuild is left out: its keys may name columns that only exist once it is rebuilt,
   * and a whole-database foreign_key_check would fail on that ("foreign key mismatch").
   */
  #foreignKeyChecks(table: Table): string[] {
    const folded = foldName(table.name);
    const checkable = (other: Table) =>
      !this.#pending.has(foldName(other.name)) && other.foreignKeys.every((fk) => !this.#pending.has(foldName(fk.referencedTable)));
    const children = (this.#toChildren.get(folded) ?? [])
      .filter(checkable)
      .map((other) => other.name)
      .sort();
    return [...(table.foreignKeys.length > 0 && checkable(table) ? [table.name] : []), ...children];
  }

  /** Target and source of every column the rebuild copies: same name, renamed, or the same name in another case. */
  #copiedColumns(work: Extract<TableWork, { kind: 'rebuild' }>): [Column, Column][] {
    const sources = new ByName(work.from.columns);
    const pairs: [Column, Column][] = [];
    for (const column of work.to.columns) {
      if (column.generated !== null) continue;
      const source = sources.get(work.renamedFrom.get(foldName(column.name)) ?? column.name);
      if (source !== undefined) pairs.push([column, source]);
    }
    return pairs;
  }

  #rebuildLosses(work: Extract<TableWork, { kind: 'rebuild' }>, copied: readonly [Column, Column][]): string | null {
    const reasons: string[] = [];
    const copiedSources = new Set(copied.map(([, source]) => source));
    const dropped = work.from.columns.filter((c) => c.generated === null && !copiedSources.has(c)).map((c) => c.name);
    if (dropped.length > 0) reasons.push(`drops column${dropped.length === 1 ? '' : 's'} ${dropped.join(', ')} of ${work.to.name} and ${dropped.length === 1 ? 'its' : 'their'} values`);
    const kept = new Set((this.#keptIndexes.get(foldName(work.to.name)) ?? []).map((i) => i.name));
    for (const change of this.#indexChanges(work.to.name)) {
      if (change.action === 'removed' && !kept.has(change.path.name)) reasons.push(`drops index ${change.path.name}`);
    }
    for (const trigger of this.#fromTriggersOn.get(foldName(work.from.name)) ?? []) {
      const name = foldName(trigger.name);
      if (this.#triggersChanged.get(name)?.removed === true && !this.#lateTriggers.has(name)) reasons.push(`drops trigger ${trigger.name}`);
    }
    for (const [target, source] of copied) {
      const before = affinityIn(work.from, source);
      const after = affinityIn(work.to, target);
      if ((before === 'TEXT' || before === 'BLOB') && (after === 'INTEGER' || after === 'REAL' || after === 'NUMERIC')) {
        reasons.push(`narrows ${work.to.name}.${target.name} from ${source.type || 'no type'} to ${target.type}: text that looks like a number becomes one ('007' → 7)`);
      }
    }
    return reasons.length === 0 ? null : reasons.join('; ');
  }

  #rebuildHazards(work: Extract<TableWork, { kind: 'rebuild' }>): string[] {
    const hazards = ['rebuilds the table: copies every row'];
    const { from, to } = work;
    const sources = new ByName(from.columns);
    for (const column of to.columns) {
      const source = sources.get(work.renamedFrom.get(foldName(column.name)) ?? column.name);
      if (column.nullable) continue;
      if (source === undefined && column.generated === null && isNullDefault(column.default)) {
        hazards.push(`fails if the table has rows: new column ${column.name} is NOT NULL and has no default`);
      } else if (source === undefined ? column.generated !== null : source.nullable && !isRowidAlias(from, source)) {
        hazards.push(`fails if existing rows violate it: ${column.name} NOT NULL`);
      }
    }
    if (to.options.strict === 'true' && from.options.strict !== 'true') hazards.push('fails if existing rows violate it: STRICT column types');
    // Constraints new or changed in the rebuilt table, looked up after by the identity the diff gave them.
    const constraintHazards: string[] = [];
    const foreignKeyHazards: string[] = [];
    for (const change of work.changes) {
      if (change.action === 'removed' || !CONSTRAINT_KINDS.has(change.kind)) continue;
      const id = foldName(change.path.name);
      if (change.kind === 'primary key' && to.primaryKey !== null) {
        constraintHazards.push(`fails if existing rows violate it: ${primaryKeyClause(to.primaryKey)}`);
      } else if (change.kind === 'unique constraint') {
        const unique = to.uniqueConstraints.find((u) => foldName(u.name ?? `unique(${u.columns.join(', ')})`) === id);
        if (unique !== undefined) constraintHazards.push(`fails if existing rows violate it: ${uniqueClause(unique)}`);
      } else if (change.kind === 'check constraint') {
        const check = to.checks.find((c) => foldName(c.name ?? `check(${c.expression})`) === id);
        if (check !== undefined) constraintHazards.push(`fails if existing rows violate it: ${checkClause(check)}`);
      } else if (change.kind === 'foreign key') {
        const fk = to.foreignKeys.find((f) => foldName(f.name ?? `foreign key(${f.columns.join(', ')}) → ${f.referencedTable}`) === id);
        if (fk !== undefined) foreignKeyHazards.push(`foreign_key_check may report violations: ${foreignKeyClause(fk)}`);
      }
    }
    hazards.push(...constraintHazards, ...foreignKeyHazards);
    const referencedBy = this.#fromChildren.get(foldName(from.name)) ?? [];
    if (referencedBy.length > 0) {
      hazards.push(
        `run it outside a transaction: inside one, PRAGMA foreign_keys=OFF does nothing and dropping the old table applies the ON DELETE actions of ${referencedBy.map((t) => t.name).join(', ')}`,
      );
    }
    return [...new Set(hazards)];
  }

  /** The triggers on a relation that is dropped go with it; the ones it has after are created again. */
  #dropTriggersOn(relation: string): void {
    for (const trigger of [...(this.#fromTriggersOn.get(relation) ?? []), ...(this.#toTriggersOn.get(relation) ?? [])]) {
      const name = foldName(trigger.name);
      if (this.#liveTriggers.has(name) && foldName(this.#liveTrigger(name).table) === relation) {
        this.#liveTriggers.delete(name);
        // One dropped only at the end of the script is created again meanwhile.
        if (this.#lateTriggers.has(name)) this.#wantTrigger(this.#fromTriggers.get(name)!);
      }
    }
    for (const trigger of this.#toTriggersOn.get(relation) ?? []) this.#wantTrigger(trigger);
  }

  /** A table name no object before or after uses. */
  #freeName(base: string): string {
    if (this.#takenNames === null) {
      const taken = new Set<string>();
      for (const snapshot of [this.#from, this.#to]) {
        for (const table of snapshot.tables) {
          taken.add(foldName(table.name));
          for (const index of table.indexes) taken.add(foldName(index.name));
        }
        for (const view of snapshot.views) taken.add(foldName(view.name));
        for (const trigger of snapshot.triggers) taken.add(foldName(trigger.name));
      }
      this.#takenNames = taken;
    }
    let name = base;
    for (let n = 2; this.#takenNames.has(foldName(name)); n += 1) name = `${base}_${n}`;
    this.#takenNames.add(foldName(name));
    return name;
  }

  // ── creates ───────────────────────────────────────────────────────────────────────────

  #createIndexes(work: readonly TableWork[]): MigrationStatement[] {
    const statements: MigrationStatement[] = [];
    for (const w of work) {
      if (w.kind === 'rebuild' || w.kind === 'recreate virtual') continue;
      for (const change of this.#indexChanges(w.to.name)) {
        if (change.action === 'removed') continue;
        const index = w.to.indexes.find((i) => i.name === change.path.name);
        if (index !== undefined) statements.push(statement(createIndex(w.to.name, index)));
      }
    }
    return statements;
  }

  #wantView(view: View): void {
    this.#viewsToCreate.set(foldName(view.name), view);
    this.#pending.add(foldName(view.name));
  }

  #wantTrigger(trigger: Trigger): void {
    this.#triggersToCreate.set(foldName(trigger.name), trigger);
  }

  /**
   * Of the views and triggers in `local` (folded names), the ones that can be created now:
   * they read nothing still to be rebuilt or created. Views come in dependency order.
   */
  #createReady(local: ReadonlySet<string>): MigrationStatement[] {
    const statements: MigrationStatement[] = [];
    for (let grew = true; grew; ) {
      grew = false;
      const ready = [...this.#viewsToCreate.values()].filter((view) => {
        const name = foldName(view.name);
        return local.has(name) && !this.#mentionsOf(view).hasAnyFolded(this.#pending, name);
      });
      for (const view of dependencyOrder(ready, (v) => this.#mentionsOf(v))) {
        statements.push(this.#createView(view));
        grew = true;
      }
    }
    const triggers = [...this.#triggersToCreate.values()]
      .filter((t) => local.has(foldName(t.name)) && !this.#mentionsOf(t).hasAnyFolded(this.#pending))
      .sort(byTableThenName);
    for (const trigger of triggers) statements.push(this.#createTrigger(trigger));
    return statements;
  }

  #createRemaining(): MigrationStatement[] {
    const views = dependencyOrder([...this.#viewsToCreate.values()], (v) => this.#mentionsOf(v)).map((view) => this.#createView(view));
    const triggers = [...this.#triggersToCreate.values()].sort(byTableThenName).map((trigger) => this.#createTrigger(trigger));
    return [...views, ...triggers];
  }

  #createView(view: View): MigrationStatement {
    const name = foldName(view.name);
    this.#viewsToCreate.delete(name);
    this.#pending.delete(name);
    this.#liveViews.add(name);
    return statement(createView(view));
  }

  #createTrigger(trigger: Trigger): MigrationStatement {
    this.#triggersToCreate.delete(foldName(trigger.name));
    this.#liveTriggers.add(foldName(trigger.name));
    return statement(createTrigger(trigger));
  }
}

const byTableThenName = (a: Trigger, b: Trigger): number => {
  const x = `${foldName(a.table)}\u0000${foldName(a.name)}`;
  const y = `${foldName(b.table)}\u0000${foldName(b.name)}`;
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * A constraint whose column or parent names changed only in case: the snapshot reads them
 * resolved to the spelling of the columns and tables themselves, and ALTER TABLE … RENAME
 * rewrites them, so they follow the renamed column or table with nothing of their own.
 */
function isRespelledReference(change: Change): boolean {
  if (change.action !== 'changed' || !CONSTRAINT_KINDS.has(change.kind)) return false;
  if (!['columns', 'referencedColumns', 'referencedTable'].includes(change.attribute)) return false;
  return foldName(JSON.stringify(change.before)) === foldName(JSON.stringify(change.after));
}

/** An index whose only change is the spelling of a key column's name: it follows the renamed column. */
function isRespelledIndex(change: Change): boolean {
  if (change.kind !== 'index' || change.action !== 'changed' || change.attribute !== 'keys') return false;
  const before = change.before as IndexKey[];
  const after = change.after as IndexKey[];
  return (
    before.length === after.length &&
    before.every((key, at) => {
      const other = after[at]!;
      if (key.kind !== 'column' || other.kind !== 'column') return JSON.stringify(key) === JSON.stringify(other);
      return foldName(key.column) === foldName(other.column) && JSON.stringify({ ...key, column: '' }) === JSON.stringify({ ...other, column: '' });
    })
  );
}

/** ALTER TABLE ADD COLUMN takes a column that is no key, has a constant default and is not STORED. */
function canAddColumn(column: Column, table: Table): boolean {
  const name = foldName(column.name);
  const inKey = (columns: readonly string[]) => columns.some((c) => foldName(c) === name);
  if (column.autoIncrement || (table.primaryKey !== null && inKey(table.primaryKey.columns))) return false;
  if (table.uniqueConstraints.some((u) => inKey(u.columns))) return false;
  if (column.generated !== null) return column.generated.storage === 'virtual';
  if (!isConstantDefault(column.default)) return false;
  return column.nullable || !isNullDefault(column.default);
}

/** `INTEGER PRIMARY KEY` of a rowid table: the rowid itself, never NULL whatever the pragma says. */
function isRowidAlias(table: Table, column: Column): boolean {
  const pk = table.primaryKey;
  return (
    table.options.without_rowid !== 'true' &&
    pk !== null &&
    pk.columns.length === 1 &&
    foldName(pk.columns[0]!) === foldName(column.name) &&
    column.type.toUpperCase() === 'INTEGER'
  );
}

/** The affinity a column's values get; a STRICT table's ANY column keeps values as given. */
function affinityIn(table: Table, column: Column): Affinity {
  if (table.options.strict === 'true' && column.type.toUpperCase() === 'ANY') return 'BLOB';
  return columnAffinity(column.type);
}

function groupBy<T>(items: readonly T[], keysOf: (item: T) => readonly string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    for (const key of keysOf(item)) {
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [item]);
      else group.push(item);
    }
  }
  return groups;
}

/** Table work ordered so a table is altered after the tables it references (its keys then name final columns). */
function parentsFirst(work: readonly TableWork[]): TableWork[] {
  return stableOrder(
    work,
    (w) => foldName(w.to.name),
    (w) => w.to.foreignKeys.map((fk) => foldName(fk.referencedTable)),
  );
}

/** Views ordered so each comes after the ones (in the list) it reads; ties by name. */
function dependencyOrder(views: readonly View[], mentions: (view: View) => Mentions): View[] {
  const sorted = [...views].sort((a, b) => (foldName(a.name) < foldName(b.name) ? -1 : 1));
  const names = new Set(sorted.map((v) => foldName(v.name)));
  return stableOrder(sorted, (v) => foldName(v.name), (v) => mentions(v).among(names));
}

/**
 * `items` in an order where each comes after the items (by key) it depends on, otherwise
 * keeping their order. Dependencies outside the list, and on the item itself, are ignored;
 * a cycle (which SQLite would not have let anyone create) is broken at its first item.
 */
function stableOrder<T>(items: readonly T[], keyOf: (item: T) => string, dependsOn: (item: T) => Iterable<string>): T[] {
  const position = new Map(items.map((item, at) => [keyOf(item), at] as const));
  const waitingFor = items.map(() => 0);
  const dependents = items.map((): number[] => []);
  items.forEach((item, at) => {
    for (const dependency of new Set(dependsOn(item))) {
      const on = position.get(dependency);
      if (on === undefined || on === at) continue;
      waitingFor[at] = waitingFor[at]! + 1;
      dependents[on]!.push(at);
    }
  });
  const done = items.map(() => false);
  const ordered: T[] = [];
  let scan = 0;
  while (ordered.length < items.length) {
    while (done[scan]) scan += 1;
    let next = -1;
    for (let at = scan; at < items.length && next < 0; at += 1) if (!done[at] && waitingFor[at] === 0) next = at;
    if (next < 0) next = scan;
    done[next] = true;
    ordered.push(items[next]!);
    for (const dependent of dependents[next]!) waitingFor[dependent] = waitingFor[dependent]! - 1;
  }
  return ordered;
}
