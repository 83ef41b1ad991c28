/**
 * The result of comparing two snapshots: an ordered list of typed changes. Every renderer
 * (text, json, markdown, sql) and every checker works from this list.
 */

export type ChangeAction = 'added' | 'removed' | 'changed';

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

interface ChangeBase {
  readonly kind: DiffObjectKind;
  /** The object's qualified display name: `public.film.rating`. */
  readonly name: string;
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

export type Change = AddedChange | RemovedChange | AttributeChange;
