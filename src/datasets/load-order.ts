import type { Engine } from '../dialects/engine.js';
import type { ForeignKey, Table } from '../snapshot/model.js';

/**
 * The order tables load in: parents before the children whose foreign keys reference them
 * (and a table a `$pick` draws from before the table that picks). Cycles are broken edge by
 * edge, preferring, in this order:
 * 1. deferral, where the engine and the constraint allow it: PostgreSQL DEFERRABLE
 *    constraints (SET CONSTRAINTS ALL DEFERRED), any SQLite foreign key (PRAGMA defer_foreign_keys),
 *    on an edge whose values are known before the parent is loaded;
 * 2. a two-phase insert, where every column of the foreign key is nullable: rows go in with
 *    those columns NULL, and an UPDATE sets them once every table is loaded;
 * 3. deferral of any other deferrable edge (which fails, naming the row, if a value turns out
 *    to need a key the database has not made yet);
 * 4. otherwise the cycle is an error.
 * Deletes run in the reverse order, with two-phase columns set to NULL first.
 */

export interface OrderNode {
  /** Unique per table (schema-qualified). */
  readonly id: string;
  readonly table: Table;
  /** Position in the dataset, for a stable order among tables that do not depend on each other. */
  readonly position: number;
  /** Tables this one draws `$pick` keys from (ids), outside any foreign key. */
  readonly picksFrom: readonly string[];
}

export interface DependencyEdge {
  readonly child: string;
  readonly parent: string;
  /** null for an ordering that comes from `$pick` rather than a foreign key. */
  readonly foreignKey: ForeignKey | null;
  readonly deferrable: boolean;
  readonly nullable: boolean;
}

export interface LoadOrder {
  /** Parents first. */
  readonly order: readonly string[];
  /** Whether the load defers foreign key checks to commit. */
  readonly deferred: boolean;
  /** Foreign keys loaded in two phases. */
  readonly twoPhase: readonly DependencyEdge[];
}

export type LoadOrderResult = { readonly ok: true; readonly plan: LoadOrder } | { readonly ok: false; readonly cycle: readonly DependencyEdge[] };

/**
 * `needsParentKeys(edge)`: whether the child's values for that foreign key can only be known
 * once the parent's rows are in (keys the database makes, `$pick`). Deferral does not help
 * such an edge, since the child would go first; a two-phase insert does.
 */
export function planLoadOrder(nodes: readonly OrderNode[], engine: Engine, needsParentKeys: (edge: DependencyEdge) => boolean = () => false): LoadOrderResult {
  const byTable = new Map(nodes.map((node) => [`${node.table.schema}\u0000${node.table.name}`, node.id]));
  const edges: DependencyEdge[] = [];
  for (const node of nodes) {
    for (const foreignKey of node.table.foreignKeys) {
      const parent = byTable.get(`${foreignKey.referencedSchema}\u0000${foreignKey.referencedTable}`);
      if (parent === undefined) continue;
      const nullable = foreignKey.columns.every((name) => node.table.columns.find((column) => column.name === name)?.nullable === true);
      const deferrable = engine === 'sqlite' || (engine === 'postgres' && foreignKey.deferrable !== 'not deferrable');
      edges.push({ child: node.id, parent, foreignKey, deferrable, nullable });
    }
    for (const parent of node.picksFrom) {
      if (!edges.some((edge) => edge.child === node.id && edge.parent === parent)) {
        edges.push({ child: node.id, parent, foreignKey: null, deferrable: false, nullable: false });
      }
    }
  }
  const removed = new Set<DependencyEdge>();
  const twoPhase: DependencyEdge[] = [];
  let deferred = false;
  for (const component of stronglyConnected(nodes.map((node) => node.id), edges)) {
    const members = new Set(component);
    const internal = edges.filter((edge) => members.has(edge.child) && members.has(edge.parent));
    for (;;) {
      const cycle = findCycle(component, internal.filter((edge) => !removed.has(edge)));
      if (cycle === null) break;
      const deferrable = cycle.find((edge) => edge.deferrable && !needsParentKeys(edge));
      const nullable = deferrable === undefined ? cycle.find((edge) => edge.foreignKey !== null && edge.nullable) : undefined;
      const breakable = deferrable ?? nullable ?? cycle.find((edge) => edge.deferrable);
      if (breakable === undefined) return { ok: false, cycle };
      removed.add(breakable);
      if (breakable === nullable) twoPhase.push(breakable);
      else deferred = true;
    }
  }
  const order = topologicalOrder(nodes, edges.filter((edge) => !removed.has(edge)));
  return { ok: true, plan: { order, deferred, twoPhase } };
}

/** `a → b → a`: the tables of a cycle, child to parent, back to the start. */
export function describeCycle(cycle: readonly DependencyEdge[], nameOf: (id: string) => string): string {
  return [...cycle.map((edge) => nameOf(edge.child)), nameOf(cycle[0]!.child)].join(' → ');
}

function topologicalOrder(nodes: readonly OrderNode[], edges: readonly DependencyEdge[]): string[] {
  const pending = new Map(nodes.map((node) => [node.id, new Set<string>()]));
  for (const edge of edges) if (edge.child !== edge.parent) pending.get(edge.child)!.add(edge.parent);
  const remaining = [...nodes].sort((a, b) => a.position - b.position);
  const order: string[] = [];
  while (remaining.length > 0) {
    const next = remaining.findIndex((node) => pending.get(node.id)!.size === 0);
    // Cannot happen once cycles are broken; keep the dataset's order rather than loop forever.
    const chosen = remaining.splice(next < 0 ? 0 : next, 1)[0]!;
    order.push(chosen.id);
    for (const parents of pending.values()) parents.delete(chosen.id);
  }
  return order;
}

/** Tarjan's algorithm; components with a cycle (more than one table, or a table referencing itself). */
function stronglyConnected(ids: readonly string[], edges: readonly DependencyEdge[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (id: string) => {
    index.set(id, counter);
    low.set(id, counter);
    counter += 1;
    stack.push(id);
    onStack.add(id);
    for (const edge of edges) {
      if (edge.child !== id) continue;
      if (!index.has(edge.parent)) {
        visit(edge.parent);
        low.set(id, Math.min(low.get(id)!, low.get(edge.parent)!));
      } else if (onStack.has(edge.parent)) {
        low.set(id, Math.min(low.get(id)!, index.get(edge.parent)!));
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      const selfLoop = edges.some((edge) => edge.child === id && edge.parent === id);
      if (component.length > 1 || selfLoop) components.push(component.reverse());
    }
  };
  for (const id of ids) if (!index.has(id)) visit(id);
  return components;
}

/** One cycle among `edges`, as the edges that form it, or null. */
function findCycle(ids: readonly string[], edges: readonly DependencyEdge[]): DependencyEdge[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: DependencyEdge[] = [];
  const visit = (id: string): DependencyEdge[] | null => {
    state.set(id, 'open');
    for (const edge of edges) {
      if (edge.child !== id) continue;
      const parentState = state.get(edge.parent);
      if (parentState === 'open') {
        const start = path.findIndex((step) => step.child === edge.parent);
        return [...(start < 0 ? [] : path.slice(start)), edge];
      }
      if (parentState === undefined) {
        path.push(edge);
        const found = visit(edge.parent);
        if (found !== null) return found;
        path.pop();
      }
    }
    state.set(id, 'done');
    return null;
  };
  for (const id of ids) {
    if (state.has(id)) continue;
    const found = visit(id);
    if (found !== null) return found;
  }
  return null;
}
