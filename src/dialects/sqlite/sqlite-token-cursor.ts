import { SqlSyntaxError, tokenizeSql, type Token } from './sqlite-tokenizer.js';

/** A run of tokens, by index, first to last inclusive. */
export interface TokenRange {
  readonly first: number;
  readonly last: number;
}

/**
 * Walks the tokens of one statement for the recursive-descent readers of CREATE statements.
 * Keywords are matched case-insensitively and only as bare words: `"check"` is an identifier.
 */
export class TokenCursor {
  readonly #source: string;
  readonly #tokens: Token[];
  #at = 0;

  constructor(source: string) {
    this.#source = source;
    this.#tokens = tokenizeSql(source);
    // A stored statement has no trailing semicolon, but text handed in by hand may.
    while (this.#tokens.at(-1)?.value === ';' && this.#tokens.at(-1)?.kind === 'punct') this.#tokens.pop();
  }

  get position(): number {
    return this.#at;
  }

  get atEnd(): boolean {
    return this.#at >= this.#tokens.length;
  }

  get lastIndex(): number {
    return this.#tokens.length - 1;
  }

  token(index: number): Token | undefined {
    return this.#tokens[index];
  }

  peek(offset = 0): Token | undefined {
    return this.#tokens[this.#at + offset];
  }

  /** Whether the token `offset` ahead is one of `words`, as a bare word. */
  isWord(offset: number, ...words: string[]): boolean {
    const token = this.peek(offset);
    return token?.kind === 'word' && words.includes(token.value.toUpperCase());
  }

  isPunct(value: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === 'punct' && token.value === value;
  }

  /** Consumes the given keywords in sequence if they all come next; otherwise consumes nothing. */
  acceptWords(...sequence: string[]): boolean {
    if (!sequence.every((word, offset) => this.isWord(offset, word))) return false;
    this.#at += sequence.length;
    return true;
  }

  /** Consumes one keyword if it is one of `choices`, returning it upper-cased. */
  acceptOneOf(...choices: string[]): string | null {
    const token = this.peek();
    if (token?.kind !== 'word' || !choices.includes(token.value.toUpperCase())) return null;
    this.#at += 1;
    return token.value.toUpperCase();
  }

  acceptPunct(value: string): boolean {
    if (!this.isPunct(value)) return false;
    this.#at += 1;
    return true;
  }

  expectWords(...sequence: string[]): void {
    if (!this.acceptWords(...sequence)) throw this.error(`expected ${sequence.join(' ')}`);
  }

  expectOneOf(...choices: string[]): string {
    const found = this.acceptOneOf(...choices);
    if (found === null) throw this.error(`expected ${choices.join(' or ')}`);
    return found;
  }

  expectPunct(value: string): void {
    if (!this.acceptPunct(value)) throw this.error(`expected "${value}"`);
  }

  expectEnd(): void {
    if (!this.atEnd) throw this.error('expected the end of the statement');
  }

  next(): Token {
    const token = this.peek();
    if (token === undefined) throw this.error('unexpected end of the statement');
    this.#at += 1;
    return token;
  }

  /** Whether the next token can be a name: SQLite takes bare words, quoted identifiers and string literals. */
  isName(offset = 0): boolean {
    const kind = this.peek(offset)?.kind;
    return kind === 'word' || kind === 'quoted' || kind === 'string';
  }

  /** A name, unquoted. */
  name(): string {
    if (!this.isName()) throw this.error('expected a name');
    return this.next().value;
  }

  /** `[schema.]name`: the name without its schema (everything read here lives in one database). */
  qualifiedName(): string {
    const first = this.name();
    return this.acceptPunct('.') ? this.name() : first;
  }

  /**
   * Consumes `( … )` and returns the tokens strictly inside, nested parentheses included.
   * `null` when the parentheses are empty.
   */
  group(): TokenRange | null {
    this.expectPunct('(');
    const first = this.#at;
    this.skipTo(() => this.isPunct(')'));
    const last = this.#at - 1;
    this.expectPunct(')');
    return last >= first ? { first, last } : null;
  }

  /** `( … )` split at its top-level commas. */
  groupItems(): TokenRange[] {
    this.expectPunct('(');
    const items: TokenRange[] = [];
    for (;;) {
      const first = this.#at;
      this.skipTo(() => this.isPunct(',') || this.isPunct(')'));
      if (this.#at === first) throw this.error('expected an item');
      items.push({ first, last: this.#at - 1 });
      if (this.acceptPunct(')')) return items;
      this.expectPunct(',');
    }
  }

  /** `( name, … )`. */
  nameList(): string[] {
    this.expectPunct('(');
    const names = [this.name()];
    while (this.acceptPunct(',')) names.push(this.name());
    this.expectPunct(')');
    return names;
  }

  /**
   * Advances over whole tokens, stepping over balanced parentheses, until `stop` holds at the
   * top level (or the statement ends). Returns the range passed over, `null` if none.
   */
  skipTo(stop: () => boolean): TokenRange | null {
    const first = this.#at;
    let depth = 0;
    while (!this.atEnd) {
      if (depth === 0 && stop()) break;
      if (this.isPunct('(')) depth += 1;
      else if (this.isPunct(')')) {
        if (depth === 0) break;
        depth -= 1;
      }
      this.#at += 1;
    }
    if (depth !== 0) throw this.error('unbalanced parentheses');
    return this.#at > first ? { first, last: this.#at - 1 } : null;
  }

  /** The source text from the first token of the range to the last, as written (inner comments too). */
  text(range: TokenRange): string {
    const first = this.#tokens[range.first];
    const last = this.#tokens[range.last];
    if (first === undefined || last === undefined) return '';
    return this.#source.slice(first.start, last.end);
  }

  /** The source text from token `first` to the end of the statement. */
  textFrom(first: number): string {
    return this.text({ first, last: this.#tokens.length - 1 });
  }

  error(message: string): SqlSyntaxError {
    const token = this.peek();
    const found = token === undefined ? 'the end' : JSON.stringify(this.#source.slice(token.start, token.end));
    return new SqlSyntaxError(`${message}, found ${found}`, token?.start ?? this.#source.length);
  }
}
