import { tokenizeSql } from './sqlite-tokenizer.js';

/**
 * The names a piece of stored SQL (a view's query, a trigger's body, a CHECK) mentions, read
 * with the tokenizer: what the migration generator uses to tell which views and triggers
 * depend on a table it rebuilds. It over-approximates on purpose (a column or a string that
 * happens to spell a table's name counts): dropping and recreating one object too many is
 * harmless, missing one makes SQLite refuse the next ALTER TABLE … RENAME.
 */
export class Mentions {
  readonly #names: ReadonlySet<string> | null;

  private constructor(names: ReadonlySet<string> | null) {
    this.#names = names;
  }

  /** Text the tokenizer cannot read mentions everything. */
  static of(...texts: (string | null)[]): Mentions {
    const names = new Set<string>();
    for (const text of texts) {
      if (text === null) continue;
      try {
        for (const token of tokenizeSql(text)) {
          if (token.kind === 'word' || token.kind === 'quoted' || token.kind === 'string') names.add(foldName(token.value));
        }
      } catch {
        return new Mentions(null);
      }
    }
    return new Mentions(names);
  }

  /** Every name mentioned (folded); `null` when the text could not be read. */
  names(): ReadonlySet<string> | null {
    return this.#names;
  }

  has(name: string): boolean {
    return this.#names === null || this.#names.has(foldName(name));
  }

  hasAny(names: Iterable<string>): boolean {
    for (const name of names) if (this.has(name)) return true;
    return false;
  }

  /** The names of `folded` (names folded already) that are mentioned. */
  among(folded: ReadonlySet<string>): string[] {
    if (this.#names === null) return [...folded];
    const [small, large] = this.#names.size <= folded.size ? [this.#names, folded] : [folded, this.#names];
    return [...small].filter((name) => large.has(name));
  }

  /** Whether any name of `folded` (names folded already), other than `except`, is mentioned: walks the smaller side. */
  hasAnyFolded(folded: ReadonlySet<string>, except?: string): boolean {
    if (this.#names === null) return [...folded].some((name) => name !== except);
    const [small, large] = this.#names.size <= folded.size ? [this.#names, folded] : [folded, this.#names];
    for (const name of small) if (name !== except && large.has(name)) return true;
    return false;
  }
}

/** SQLite compares names folding ASCII letters only. */
export function foldName(name: string): string {
  return name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
