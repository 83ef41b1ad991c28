import picomatch from 'picomatch';
import type { Engine } from '../dialects/engine.js';
import type { SchemaSnapshot } from './model.js';
import { qualifiedName } from './names.js';

/**
 * `--exclude` patterns: globs over qualified names (`public.tmp_*`, `*.audit_*`, `film` on
 * MySQL/SQLite). A namespace is excluded by its bare name (`legacy`); its objects by `legacy.*`.
 */
export class ExclusionPatterns {
  readonly #matchers: ((text: string) => boolean)[];
  readonly #engine: Engine;

  constructor(patterns: readonly string[], engine: Engine) {
    this.#matchers = patterns.map((pattern) => picomatch(pattern, { dot: true }));
    this.#engine = engine;
  }

  get isEmpty(): boolean {
    return this.#matchers.length === 0;
  }

  matchesText(text: string): boolean {
    return this.#matchers.some((matches) => matches(text));
  }

  /** Matches `schema.name` or the displayed name (which drops `main.` on MySQL/SQLite). */
  matchesObject(schema: string, name: string): boolean {
    return this.matchesText(`${schema}.${name}`) || this.matchesText(qualifiedName(this.#engine, schema, name));
  }
}

/** The snapshot without the objects the patterns exclude (and the triggers and rules of excluded tables). */
export function excludeObjects(snapshot: SchemaSnapshot, patterns: readonly string[]): SchemaSnapshot {
  const exclusions = new ExclusionPatterns(patterns, snapshot.engine);
  if (exclusions.isEmpty) return snapshot;
  const keep = (item: { schema: string; name: string }) => !exclusions.matchesObject(item.schema, item.name);
  const tableKept = (schema: string, table: string) => !exclusions.matchesObject(schema, table);
  return {
    ...snapshot,
    namespaces: snapshot.namespaces.filter((n) => !exclusions.matchesText(n.name)),
    tables: snapshot.tables.filter(keep),
    views: snapshot.views.filter(keep),
    sequences: snapshot.sequences.filter(keep),
    types: snapshot.types.filter(keep),
    routines: snapshot.routines.filter(keep),
    triggers: snapshot.triggers.filter(
      (t) => tableKept(t.schema, t.table) && !exclusions.matchesObject(t.schema, `${t.table}.${t.name}`),
    ),
    events: snapshot.events.filter(keep),
    rules: snapshot.rules.filter((r) => tableKept(r.schema, r.table)),
    extensions: snapshot.extensions.filter((e) => !exclusions.matchesText(e.name)),
    eventTriggers: snapshot.eventTriggers.filter((e) => !exclusions.matchesText(e.name)),
    ...(snapshot.data === undefined ? {} : { data: snapshot.data.filter((d) => !exclusions.matchesObject(d.schema, d.table)) }),
  };
}
