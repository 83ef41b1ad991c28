import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { datasetError, type SourceLocation } from './model.js';
import type { SourceEntry, SourceNode } from './source-tree.js';

/**
 * YAML and JSON dataset text → source tree. JSON is read by the same parser (it is YAML's
 * flow syntax), so JSON errors name lines too. Anchors, aliases and `<<:` merge keys work,
 * so rows can share defaults.
 */
export function readYamlTree(text: string, file: string, format: 'yaml' | 'json'): SourceNode {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, merge: format === 'yaml', schema: format === 'json' ? 'json' : 'core', uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError !== undefined) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    const what = format === 'json' ? 'invalid JSON' : 'invalid YAML';
    throw datasetError({ file, line }, `${what}: ${firstError.message.split('\n')[0]}`, `fix the ${format === 'json' ? 'JSON' : 'YAML'} syntax (${format === 'json' ? 'commas, quotes, brackets' : 'indentation, quoting'})`);
  }
  if (document.contents === null) throw datasetError({ file, line: null }, 'the dataset file is empty', 'start it with `tables:` (see docs/datasets.md)');
  return new TreeBuilder(document, lineCounter, file, format === 'yaml').build(document.contents);
}

class TreeBuilder {
  readonly #document: Document;
  readonly #lineCounter: LineCounter;
  readonly #file: string;
  readonly #merge: boolean;

  constructor(document: Document, lineCounter: LineCounter, file: string, merge: boolean) {
    this.#document = document;
    this.#lineCounter = lineCounter;
    this.#file = file;
    this.#merge = merge;
  }

  build(node: unknown, depth = 0): SourceNode {
    if (depth > 64) throw datasetError(this.#at(node), 'the data nests more than 64 levels deep (a recursive alias?)');
    if (isAlias(node)) {
      const target = node.resolve(this.#document);
      if (target === undefined) throw datasetError(this.#at(node), `unknown alias *${node.source}`);
      return this.build(target, depth + 1);
    }
    const at = this.#at(node);
    if (isScalar(node)) {
      const value = node.value;
      if (value === null || typeof value === 'string' || typeof value === 'boolean') return { kind: 'scalar', value, text: null, at };
      if (typeof value === 'number') {
        const source = typeof node.source === 'string' ? node.source : null;
        return { kind: 'scalar', value, text: source !== null && source !== String(value) ? source : null, at };
      }
      // Only YAML 1.1 tags (!!timestamp, !!binary) produce anything else: keep their text.
      return { kind: 'scalar', value: String(node.source ?? value), text: null, at };
    }
    if (isSeq(node)) return { kind: 'list', items: node.items.map((item) => this.build(item, depth + 1)), at };
    if (isMap(node)) {
      const explicit: SourceEntry[] = [];
      const merged: SourceEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        if (this.#merge && isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.source === '<<') {
          for (const source of this.#mergeSources(pair.value, depth)) merged.push(...source.entries);
          continue;
        }
        if (!isScalar(keyNode) || (keyNode.value !== null && typeof keyNode.value === 'object')) {
          throw datasetError(this.#at(keyNode ?? node), 'a map key must be a plain name');
        }
        explicit.push({ key: String(keyNode.value), keyAt: this.#at(keyNode), value: this.build(pair.value, depth + 1) });
      }
      const keys = new Set(explicit.map((entry) => entry.key));
      const entries = [...explicit];
      for (const entry of merged) {
        if (keys.has(entry.key)) continue;
        keys.add(entry.key);
        entries.push(entry);
      }
      return { kind: 'map', entries, at };
    }
    // An empty value (`key:` with nothing after it) parses as a null scalar; anything else is unexpected.
    return { kind: 'scalar', value: null, text: null, at };
  }

  #mergeSources(value: unknown, depth: number): { entries: readonly SourceEntry[] }[] {
    const node = this.build(value, depth + 1);
    const maps = node.kind === 'list' ? node.items : [node];
    return maps.map((map) => {
      if (map.kind !== 'map') throw datasetError(map.at, '`<<:` merges maps only (an alias of a map, or a list of them)');
      return map;
    });
  }

  #at(node: unknown): SourceLocation {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return { file: this.#file, line: range === undefined ? null : this.#lineCounter.linePos(range[0]).line };
  }
}
