/**
 * A tokenizer for the SQL SQLite stores in sqlite_schema.sql. SQLite keeps every CREATE
 * statement verbatim, so what pragmas do not report (CHECKs, COLLATE, generated expressions,
 * constraint names, deferrability, trigger parts) is read back from that text. Tokens carry
 * their source offsets: expressions are kept as the user wrote them, by slicing the source
 * between two tokens, never by re-rendering tokens.
 *
 * The lexical rules follow SQLite's own tokenizer (tokenize.c): identifiers quoted as "x",
 * `x` or [x], string literals with '' escapes, X'…' blobs, -- and /* *\/ comments (skipped),
 * and any character from U+0080 up allowed in a bare identifier.
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'blob' | 'number' | 'variable' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  /**
   * Words, numbers, variables and punctuation: the source text. Quoted identifiers and string
   * literals: the value, quotes removed and doubled quotes undone. Blobs: the hex digits.
   */
  readonly value: string;
  /** Offset of the first character in the source. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

export class SqlSyntaxError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'SqlSyntaxError';
    this.offset = offset;
  }
}

// Longest first: `->>` must win over `->`, `||` over `|`.
const OPERATORS = ['->>', '->', '||', '<<', '>>', '<=', '>=', '==', '!=', '<>', '(', ')', ',', ';', '.', '+', '-', '*', '/', '%', '<', '>', '=', '&', '|', '~', '!'];

const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const isHexDigit = (ch: string): boolean => isDigit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
const isIdentifierStart = (ch: string): boolean =>
  (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_' || ch.charCodeAt(0) >= 0x80;
const isIdentifierPart = (ch: string): boolean => isIdentifierStart(ch) || isDigit(ch) || ch === '$';

/** Splits SQL text into tokens, dropping whitespace and comments. */
export function tokenizeSql(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const charAt = (offset: number): string => source[offset] ?? '';

  /**
   * Reads a quoted run whose opening quote is at `open` and that ends in `close`; a doubled
   * `close` stands for one (unless `doubled` is false).
   */
  const readQuoted = (open: number, close: string, doubled: boolean): { value: string; end: number } => {
    let value = '';
    let offset = open + 1;
    for (;;) {
      if (offset >= source.length) throw new SqlSyntaxError(`unterminated ${charAt(open)}…${close}`, open);
      const ch = charAt(offset);
      if (ch === close) {
        if (doubled && charAt(offset + 1) === close) {
          value += close;
          offset += 2;
          continue;
        }
        return { value, end: offset + 1 };
      }
      value += ch;
      offset += 1;
    }
  };

  const push = (kind: TokenKind, value: string, end: number): void => {
    tokens.push({ kind, value, start: at, end });
    at = end;
  };

  while (at < source.length) {
    const ch = charAt(at);
    const next = charAt(at + 1);
    if (isSpace(ch)) {
      at += 1;
    } else if (ch === '-' && next === '-') {
      const newline = source.indexOf('\n', at);
      at = newline < 0 ? source.length : newline + 1;
    } else if (ch === '/' && next === '*') {
      const close = source.indexOf('*/', at + 2);
      at = close < 0 ? source.length : close + 2; // SQLite accepts a comment left open at the end
    } else if (ch === "'") {
      const { value, end } = readQuoted(at, "'", true);
      push('string', value, end);
    } else if (ch === '"' || ch === '`') {
      const { value, end } = readQuoted(at, ch, true);
      push('quoted', value, end);
    } else if (ch === '[') {
      const { value, end } = readQuoted(at, ']', false);
      push('quoted', value, end);
    } else if ((ch === 'x' || ch === 'X') && next === "'") {
      const { value, end } = readQuoted(at + 1, "'", false);
      push('blob', value, end);
    } else if (isDigit(ch) || (ch === '.' && isDigit(next))) {
      const end = readNumberEnd(source, at);
      push('number', source.slice(at, end), end);
    } else if (isIdentifierStart(ch)) {
      let end = at + 1;
      while (end < source.length && isIdentifierPart(charAt(end))) end += 1;
      push('word', source.slice(at, end), end);
    } else if (ch === '?') {
      let end = at + 1;
      while (isDigit(charAt(end))) end += 1;
      push('variable', source.slice(at, end), end);
    } else if ((ch === ':' || ch === '@' || ch === '$') && isIdentifierPart(next)) {
      let end = at + 1;
      while (end < source.length && isIdentifierPart(charAt(end))) end += 1;
      push('variable', source.slice(at, end), end);
    } else {
      const operator = OPERATORS.find((op) => source.startsWith(op, at));
      if (operator === undefined) throw new SqlSyntaxError(`unexpected character ${JSON.stringify(ch)}`, at);
      push('punct', operator, at + operator.length);
    }
  }
  return tokens;
}

/** The end of a numeric literal: 12, 1.5e-3, .5, 0x1F, 1_000 (digit separators, SQLite 3.46). */
function readNumberEnd(source: string, start: number): number {
  const charAt = (offset: number): string => source[offset] ?? '';
  let end = start;
  if (charAt(end) === '0' && (charAt(end + 1) === 'x' || charAt(end + 1) === 'X') && isHexDigit(charAt(end + 2))) {
    end += 2;
    while (isHexDigit(charAt(end)) || charAt(end) === '_') end += 1;
    return end;
  }
  while (isDigit(charAt(end)) || charAt(end) === '_') end += 1;
  if (charAt(end) === '.') {
    end += 1;
    while (isDigit(charAt(end)) || charAt(end) === '_') end += 1;
  }
  if ((charAt(end) === 'e' || charAt(end) === 'E') && (isDigit(charAt(end + 1)) || ((charAt(end + 1) === '+' || charAt(end + 1) === '-') && isDigit(charAt(end + 2))))) {
    end += 2;
    while (isDigit(charAt(end))) end += 1;
  }
  return end;
}
