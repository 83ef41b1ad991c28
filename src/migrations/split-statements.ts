import type { Engine } from '../dialects/engine.js';
import { CompoundBody } from './compound-body.js';
import type { SqlStatement } from './migration.js';
import { SqlLexer, SqlLexError, type Token } from './sql-lexer.js';

/**
 * Cuts a SQL script into statements the way the engine's own client would send them: a `;`
 * outside strings, comments and dollar quotes ends a statement, except inside parentheses on
 * PostgreSQL (as psql does) and inside the body of a compound statement (see CompoundBody).
 * The mysql client's DELIMITER lines change the terminator and are not sent; psql's `\`
 * lines are skipped with a note. Each statement keeps the line it starts on and its text as
 * written, without the terminator; comments before a statement are not part of it.
 */

export interface SplitNote {
  readonly line: number;
  readonly message: string;
}

export interface SplitScript {
  readonly statements: readonly SqlStatement[];
  readonly notes: readonly SplitNote[];
}

export interface SplitOptions {
  /** The line of the file the text starts on (for a section of a file); 1 by default. */
  readonly firstLine?: number;
}

/** An unterminated string, quoted identifier, comment or dollar quote. */
export class SqlSplitError extends Error {
  readonly line: number;

  constructor(message: string, line: number) {
    super(message);
    this.name = 'SqlSplitError';
    this.line = line;
  }
}

export function splitStatements(source: string, dialect: Engine, options: SplitOptions = {}): SplitScript {
  const lines = new LineIndex(source, options.firstLine ?? 1);
  const lexer = new SqlLexer(source, dialect);
  const statements: SqlStatement[] = [];
  const notes: SplitNote[] = [];
  let first: Token | null = null;
  let last: Token | null = null;
  let body = new CompoundBody(dialect);
  let parentheses = 0;

  const close = (): void => {
    if (first !== null && last !== null) {
      statements.push({ line: lines.lineOf(first.start), text: source.slice(first.start, last.end) });
    }
    first = null;
    last = null;
    body = new CompoundBody(dialect);
    parentheses = 0;
  };

  for (;;) {
    const token = readToken(lexer, first === null, lines);
    if (token === null) break;
    if (token.kind === 'meta-command') {
      notes.push({ line: lines.lineOf(token.start), message: `psql meta-command skipped (it is not SQL): ${token.text}` });
      continue;
    }
    if (token.kind === 'delimiter-command') {
      lexer.delimiter = token.text;
      continue;
    }
    if (token.kind === 'terminator' && !(token.text === ';' && (parentheses > 0 || body.open))) {
      close();
      continue;
    }
    first ??= token;
    last = token;
    body.feed(token);
    if (dialect === 'postgres' && token.kind === 'symbol') {
      if (token.text === '(') parentheses += 1;
      else if (token.text === ')' && parentheses > 0) parentheses -= 1;
    }
  }
  close();
  return { statements, notes };
}

/**
 * A script that is one statement whatever it contains (goose's StatementBegin … StatementEnd):
 * its text from the first token to the last, a final terminator left out.
 */
export function wholeStatement(source: string, dialect: Engine, options: SplitOptions = {}): SqlStatement | null {
  const lines = new LineIndex(source, options.firstLine ?? 1);
  const lexer = new SqlLexer(source, dialect);
  let first: Token | null = null;
  let last: Token | null = null;
  let lastSignificant: Token | null = null;
  for (;;) {
    const token = readToken(lexer, first === null, lines);
    if (token === null) break;
    if (token.kind === 'meta-command' || token.kind === 'delimiter-command') continue;
    first ??= token;
    last = token;
    if (token.kind !== 'terminator') lastSignificant = token;
  }
  if (first === null || last === null || lastSignificant === null) return null;
  const end = last.kind === 'terminator' ? lastSignificant.end : last.end;
  return { line: lines.lineOf(first.start), text: source.slice(first.start, end) };
}

function readToken(lexer: SqlLexer, statementStart: boolean, lines: LineIndex): Token | null {
  try {
    return lexer.next(statementStart);
  } catch (error) {
    if (error instanceof SqlLexError) throw new SqlSplitError(error.message, lines.lineOf(error.offset));
    throw error;
  }
}

/** Offsets to 1-based lines. */
class LineIndex {
  readonly #starts: number[] = [0];
  readonly #firstLine: number;

  constructor(source: string, firstLine: number) {
    this.#firstLine = firstLine;
    for (let at = source.indexOf('\n'); at >= 0; at = source.indexOf('\n', at + 1)) this.#starts.push(at + 1);
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return this.#firstLine + low;
  }
}
