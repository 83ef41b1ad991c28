/**
 * The result of comparing two snapshots: an ordered list of typed changes. Every renderer
 * (text, json, markdown, sql) and every checker works from this list. The JSON renderer
 * writes these objects as they are, so their shape is part of the documented format
 * (docs/diff-format.md): add fields, never rename them.
 */

export type ChangeAction = 'added' | 'removed' | 'changed' | 'renamed';

export type DiffObjectKind =
  | 'namespace'
  | 'table'
  | 'column'
  | 'primary key'
  | 'unique constraint'
  | 'foreign key'
  | 'check constraint'
  | 'exclusion constraint'
  | 'index'
  | 'policy'
  | 'view'
  | 'materialized view'
  | 'sequence'
  | 'enum'
  | 'domain'
  | 'composite type'
  | 'range type'
  | 'function'
  | 'procedure'
  | 'aggregate'
  | 'window function'
  | 'trigger'
  | 'extension'
  | 'event'
  | 'rule'
  | 'event trigger';

/** Where an object sits: its namespace, the table it belongs to (if any) and its own name. */
export interface ObjectPath {
  readonly schema: string | null;
  readonly table: string | null;
  readonly name: string;
}

interface ChangeBase {
  readonly kind: DiffObjectKind;
  /** The object's qualified display name: `public.film.rating`. For a rename, the new name. */
  readonly name: string;
  /** The structured location of `name`. */
  readonly path: ObjectPath;
}

/** An object present only in the second snapshot; `object` is its definition there. */
export interface AddedChange extends ChangeBase {
  readonly action: 'added';
  readonly object: unknown;
}

/** An object present only in the first snapshot; `object` is its definition there. */
export interface RemovedChange extends ChangeBase {
  readonly action: 'removed';
  readonly object: unknown;
}

/** One attribute of an object present in both, with its two values. */
export interface AttributeChange extends ChangeBase {
  readonly action: 'changed';
  readonly attribute: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * An object that only changed its name: one removed and one added object with the same
 * definition, and no other candidate for either. Anything less certain stays remove + add.
 */
export interface RenamedChange extends ChangeBase {
  readonly action: 'renamed';
  readonly from: string;
  readonly fromPath: ObjectPath;
  readonly object: unknown;
}

export type Change = AddedChange | RemovedChange | AttributeChange | RenamedChange;
