import type { SourceLocation } from './model.js';

/**
 * What every dataset format reads into before it is validated: maps, lists and scalars, each
 * with the place it was written. YAML and JSON give it through the yaml package's nodes,
 * CSV through its own reader; one compiler (compile-dataset.ts) then turns it into a Dataset.
 */
export type SourceNode = SourceMap | SourceList | SourceScalar;

export interface SourceMap {
  readonly kind: 'map';
  readonly entries: readonly SourceEntry[];
  readonly at: SourceLocation;
}

export interface SourceEntry {
  readonly key: string;
  readonly keyAt: SourceLocation;
  readonly value: SourceNode;
}

export interface SourceList {
  readonly kind: 'list';
  readonly items: readonly SourceNode[];
  readonly at: SourceLocation;
}

export interface SourceScalar {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  /** The text as written, for numbers (`01234`, `9007199254740993`); null when it says nothing more than `value`. */
  readonly text: string | null;
  readonly at: SourceLocation;
}

/** The node as plain JavaScript (for zod, and for JSON column values). */
export function toPlain(node: SourceNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'list':
      return node.items.map(toPlain);
    case 'map': {
      const result: Record<string, unknown> = {};
      for (const entry of node.entries) result[entry.key] = toPlain(entry.value);
      return result;
    }
  }
}

/** The node at a zod issue path, or the deepest one that exists on the way there. */
export function nodeAt(root: SourceNode, path: readonly PropertyKey[]): { node: SourceNode; at: SourceLocation } {
  let node: SourceNode = root;
  let at = root.at;
  for (const part of path) {
    if (node.kind === 'map') {
      const entry = node.entries.find((candidate) => candidate.key === part);
      if (entry === undefined) break;
      at = entry.keyAt;
      node = entry.value;
    } else if (node.kind === 'list' && typeof part === 'number') {
      const item = node.items[part];
      if (item === undefined) break;
      node = item;
      at = item.at;
    } else {
      break;
    }
  }
  return { node, at };
}
