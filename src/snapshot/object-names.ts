import type { SchemaSnapshot } from './model.js';
import { qualifiedName } from './names.js';

/** Every object's displayed name (and `schema.name` form), for checking that a pattern names something. */
export function allObjectNames(snapshot: SchemaSnapshot): string[] {
  const names: string[] = [];
  const add = (schema: string, ...parts: string[]) => {
    names.push(qualifiedName(snapshot.engine, schema, ...parts), [schema, ...parts].join('.'));
  };
  for (const n of snapshot.namespaces) names.push(n.name);
  for (const t of snapshot.tables) {
    add(t.schema, t.name);
    for (const c of t.columns) add(t.schema, t.name, c.name);
    for (const i of t.indexes) add(t.schema, t.name, i.name);
    for (const c of [...t.uniqueConstraints, ...t.foreignKeys, ...t.checks]) if (c.name !== null) add(t.schema, t.name, c.name);
    for (const x of [...t.exclusions, ...t.policies]) add(t.schema, t.name, x.name);
    if (t.primaryKey?.name) add(t.schema, t.name, t.primaryKey.name);
  }
  for (const v of snapshot.views) {
    add(v.schema, v.name);
    for (const i of v.indexes) add(v.schema, v.name, i.name);
  }
  for (const o of [...snapshot.sequences, ...snapshot.types, ...snapshot.events]) add(o.schema, o.name);
  for (const r of snapshot.routines) {
    add(r.schema, r.name);
    add(r.schema, r.signature);
  }
  for (const t of [...snapshot.triggers, ...snapshot.rules]) add(t.schema, t.table, t.name);
  for (const e of [...snapshot.extensions, ...snapshot.eventTriggers]) names.push(e.name);
  return names;
}
