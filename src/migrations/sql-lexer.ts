import type { Engine } from '../dialects/engine.js';

/**
 * A lexer that knows just enough of each engine's SQL to find where statements end: strings,
 * quoted identifiers, comments and PostgreSQL dollar quotes (inside which a `;` is text), the
 * words that open and close compound bodies, and the client commands that are not SQL
 * (psql's `\` lines, the mysql client's DELIMITER). Whitespace and comments are skipped;
 * every token keeps its offsets so statements are cut out of the source as written.
 *
 * The rules follow each engine's own scanner: PostgreSQL's scan.l (nested block comments,
 * E'…' strings with backslash escapes, $tag$…$tag$, `$` inside identifiers), MySQL's
 * sql_lex.cc (`#` comments, `-- ` comments only with a space after the dashes, backslash
 * escapes in '…' and "…", backticks, `/*!…*\/` comments whose content is executed) and
 * SQLite's tokenize.c ("…", `…` and […] identifiers, a block comment may stay open at the end).
 */

export type TokenKind =
  /** A keyword or bare identifier (case kept). */
  | 'word'
  /** A quoted identifier or a string literal (the splitter never needs their values). */
  | 'quoted'
  | 'number'
  | 'symbol'
  /** The current statement terminator: `;`, or what DELIMITER set. */
  | 'terminator'
  /** A psql backslash command line (PostgreSQL). `text` is the whole line. */
  | 'meta-command'
  /** A mysql client `DELIMITER x` line. `text` is the new terminator. */
  | 'delimiter-command';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token; for commands, their argument (see TokenKind). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export class SqlLexError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = 'SqlLexError';
    this.offset = offset;
  }
}

interface LexRules {
  readonly hashComments: boolean;
  /** MySQL: `--` starts a comment only when whitespace (or the end) follows. */
  readonly dashCommentNeedsSpace: boolean;
  readonly nestedBlockComments: boolean;
  /** SQLite accepts a block comment that is still open at the end of the script. */
  readonly openBlockCommentAtEnd: boolean;
  /** MySQL `/*! … *\/` and MariaDB `/*M! … *\/`: the content is SQL. */
  readonly executableComments: boolean;
  readonly dollarQuotes: boolean;
  /** PostgreSQL E'…': backslash escapes. */
  readonly escapeStrings: boolean;
  /** MySQL: backslash escapes in every '…' and "…". */
  readonly backslashEscapes: boolean;
  readonly backticks: boolean;
  readonly brackets: boolean;
  /** PostgreSQL identifiers may contain `$` after the first character. */
  readonly dollarInIdentifiers: boolean;
  readonly psqlMetaCommands: boolean;
  readonly delimiterCommand: boolean;
}

const RULES: Readonly<Record<Engine, LexRules>> = {
  postgres: {
    hashComments: false,
    dashCommentNeedsSpace: false,
    nestedBlockComments: true,
    openBlockCommentAtEnd: false,
    executableComments: false,
    dollarQuotes: true,
    escapeStrings: true,
    backslashEscapes: false,
    backticks: false,
    brackets: false,
    dollarInIdentifiers: true,
    psqlMetaCommands: true,
    delimiterCommand: false,
  },
  mysql: {
    hashComments: true,
    dashCommentNeedsSpace: true,
    nestedBlockComments: false,
    openBlockCommentAtEnd: false,
    executableComments: true,
    dollarQuotes: false,
    escapeStrings: false,
    backslashEscapes: true,
    backticks: true,
    brackets: false,
    dollarInIdentifiers: true,
    psqlMetaCommands: false,
    delimiterCommand: true,
  },
  sqlite: {
    hashComments: false,
    dashCommentNeedsSpace: false,
    nestedBlockComments: false,
    openBlockCommentAtEnd: true,
    executableComments: false,
    dollarQuotes: false,
    escapeStrings: false,
    backslashEscapes: false,
    backticks: true,
    brackets: true,
    dollarInIdentifiers: true,
    psqlMetaCommands: false,
    delimiterCommand: false,
  },
};

// Longest first, so `::` wins over `:` and `:=` is one token (a MySQL label ends in `:`).
const SYMBOLS = ['::', ':=', '->>', '->', '<=>', '<>', '<=', '>=', '!=', '||', '&&', '<<', '>>'];

const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
const isWordStart = (ch: string): boolean =>
  (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_' || (ch !== '' && ch.charCodeAt(0) >= 0x80);

export class SqlLexer {
  readonly #source: string;
  readonly #rules: LexRules;
  #at = 0;
  #delimiter = ';';
  /** Inside a MySQL `/*!` comment: its `*\/` is a token, not the end of a skipped comment. */
  #inExecutableComment = false;

  constructor(source: string, dialect: Engine) {
    this.#source = source;
    this.#rules = RULES[dialect];
  }

  get delimiter(): string {
    return this.#delimiter;
  }

  set delimiter(value: string) {
    this.#delimiter = value;
  }

  /**
   * The next token, or null at the end. `statementStart` says no token of a statement has
   * been read yet: only there is `DELIMITER` the client command.
   */
  next(statementStart: boolean): Token | null {
    this.#skipSpaceAndComments();
    const source = this.#source;
    const start = this.#at;
    if (start >= source.length) return null;
    const ch = source[start]!;
    const next = source[start + 1] ?? '';
    const rules = this.#rules;

    if (rules.psqlMetaCommands && ch === '\\' && this.#atLineStart(start)) {
      const end = this.#endOfLine(start);
      return this.#take('meta-command', end, source.slice(start, end).trimEnd());
    }
    if (rules.delimiterCommand && statementStart && this.#atDelimiterCommand(start)) {
      const end = this.#endOfLine(start);
      const argument = source.slice(start + 'delimiter'.length, end).trim().split(/\s/)[0] ?? '';
      if (argument === '') throw new SqlLexError('DELIMITER needs the new terminator (DELIMITER //)', start);
      return this.#take('delimiter-command', end, argument);
    }
    if (source.startsWith(this.#delimiter, start)) return this.#take('terminator', start + this.#delimiter.length);
    const executableComment = ch === '/' && next === '*' ? this.#executableCommentEnd(start) : null;
    if (executableComment !== null) {
      // The content of `/*! … */` is SQL the server runs: it is read as tokens.
      this.#inExecutableComment = true;
      return this.#take('symbol', executableComment);
    }
    if (this.#inExecutableComment && ch === '*' && next === '/') {
      this.#inExecutableComment = false;
      return this.#take('symbol', start + 2);
    }
    if (ch === "'") return this.#take('quoted', this.#quotedEnd(start, "'", rules.backslashEscapes));
    if (ch === '"') return this.#take('quoted', this.#quotedEnd(start, '"', rules.backslashEscapes));
    if (ch === '`' && rules.backticks) return this.#take('quoted', this.#quotedEnd(start, '`', false));
    if (ch === '[' && rules.brackets) return this.#take('quoted', this.#bracketEnd(start));
    if (ch === '$' && rules.dollarQuotes) {
      const tag = this.#dollarTag(start);
      if (tag !== null) return this.#take('quoted', this.#dollarQuoteEnd(start, tag));
    }
    if (isDigit(ch) || (ch === '.' && isDigit(next))) return this.#take('number', this.#numberEnd(start));
    if (isWordStart(ch)) {
      const end = this.#wordEnd(start);
      if (rules.escapeStrings && end === start + 1 && (ch === 'E' || ch === 'e') && source[end] === "'") {
        return this.#take('quoted', this.#quotedEnd(end, "'", true));
      }
      return this.#take('word', end);
    }
    const symbol = SYMBOLS.find((s) => source.startsWith(s, start));
    return this.#take('symbol', start + (symbol?.length ?? 1));
  }

  #take(kind: TokenKind, end: number, text?: string): Token {
    const start = this.#at;
    this.#at = end;
    return { kind, text: text ?? this.#source.slice(start, end), start, end };
  }

  #skipSpaceAndComments(): void {
    const source = this.#source;
    const rules = this.#rules;
    for (;;) {
      const at = this.#at;
      const ch = source[at] ?? '';
      const next = source[at + 1] ?? '';
      if (ch === '' || source.startsWith(this.#delimiter, at)) return;
      if (isSpace(ch)) {
        this.#at += 1;
      } else if (ch === '-' && next === '-' && (!rules.dashCommentNeedsSpace || at + 2 >= source.length || isSpace(source[at + 2]!))) {
        this.#at = this.#endOfLine(at);
      } else if (ch === '#' && rules.hashComments) {
        this.#at = this.#endOfLine(at);
      } else if (ch === '/' && next === '*' && this.#executableCommentEnd(at) === null) {
        this.#at = this.#blockCommentEnd(at);
      } else {
        return;
      }
    }
  }

  /** The end of `/*!50003` or `/*M!100100` at `at` (MySQL, MariaDB), or null for another comment. */
  #executableCommentEnd(at: number): number | null {
    if (!this.#rules.executableComments) return null;
    const source = this.#source;
    let end: number;
    if (source[at + 2] === '!') end = at + 3;
    else if (source[at + 2] === 'M' && source[at + 3] === '!') end = at + 4;
    else return null;
    while (isDigit(source[end] ?? '')) end += 1;
    return end;
  }

  #blockCommentEnd(open: number): number {
    const source = this.#source;
    let depth = 0;
    let at = open;
    while (at < source.length) {
      if (source[at] === '/' && source[at + 1] === '*' && (depth === 0 || this.#rules.nestedBlockComments)) {
        depth += 1;
        at += 2;
      } else if (source[at] === '*' && source[at + 1] === '/') {
        depth -= 1;
        at += 2;
        if (depth === 0) return at;
      } else {
        at += 1;
      }
    }
    if (this.#rules.openBlockCommentAtEnd) return source.length;
    throw new SqlLexError('unterminated /* comment', open);
  }

  #quotedEnd(open: number, quote: string, backslashEscapes: boolean): number {
    const source = this.#source;
    let at = open + 1;
    while (at < source.length) {
      const ch = source[at];
      if (backslashEscapes && ch === '\\') {
        at += 2;
      } else if (ch === quote) {
        if (source[at + 1] === quote) at += 2;
        else return at + 1;
      } else {
        at += 1;
      }
    }
    const what = quote === "'" ? 'string literal' : quote === '`' ? 'quoted identifier (`)' : 'quoted identifier or string (")';
    throw new SqlLexError(`unterminated ${what}`, open);
  }

  #bracketEnd(open: number): number {
    const close = this.#source.indexOf(']', open + 1);
    if (close < 0) throw new SqlLexError('unterminated [identifier]', open);
    return close + 1;
  }

  /** `$$` or `$tag$` at `at`, or null for `$1` parameters and stray dollars. */
  #dollarTag(at: number): string | null {
    const source = this.#source;
    let end = at + 1;
    if (source[end] === '$') return '$$';
    if (!isWordStart(source[end] ?? '')) return null;
    while (end < source.length && (isWordStart(source[end]!) || isDigit(source[end]!))) end += 1;
    return source[end] === '$' ? source.slice(at, end + 1) : null;
  }

  #dollarQuoteEnd(open: number, tag: string): number {
    const close = this.#source.indexOf(tag, open + tag.length);
    if (close < 0) throw new SqlLexError(`unterminated dollar-quoted string (${tag} is never closed)`, open);
    return close + tag.length;
  }

  #numberEnd(start: number): number {
    const source = this.#source;
    let end = start;
    while (end < source.length && (isDigit(source[end]!) || isWordStart(source[end]!) || source[end] === '.')) {
      // 1e-5: a sign right after the exponent letter belongs to the number.
      end += 1;
      if ((source[end - 1] === 'e' || source[end - 1] === 'E') && (source[end] === '+' || source[end] === '-')) end += 1;
    }
    return end;
  }

  #wordEnd(start: number): number {
    const source = this.#source;
    let end = start + 1;
    while (end < source.length) {
      const ch = source[end]!;
      if (isWordStart(ch) || isDigit(ch) || (ch === '$' && this.#rules.dollarInIdentifiers)) end += 1;
      else break;
    }
    return end;
  }

  #endOfLine(at: number): number {
    const newline = this.#source.indexOf('\n', at);
    return newline < 0 ? this.#source.length : newline;
  }

  #atLineStart(at: number): boolean {
    for (let back = at - 1; back >= 0; back -= 1) {
      const ch = this.#source[back]!;
      if (ch === '\n') return true;
      if (ch !== ' ' && ch !== '\t') return false;
    }
    return true;
  }

  #atDelimiterCommand(at: number): boolean {
    const word = this.#source.slice(at, at + 'delimiter'.length);
    return word.toLowerCase() === 'delimiter' && isSpace(this.#source[at + word.length] ?? '');
  }
}
