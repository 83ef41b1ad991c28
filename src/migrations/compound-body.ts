import type { Engine } from '../dialects/engine.js';
import type { Token } from './sql-lexer.js';

/**
 * Statements whose body holds statements of its own: a `;` inside them does not end them.
 * Written without DELIMITER, a MySQL trigger, procedure, function or event (and MariaDB's
 * `BEGIN NOT ATOMIC` block) ends at the `;` after the END that closes its body; so does a
 * SQLite trigger, and a PostgreSQL function or procedure with a `BEGIN ATOMIC` body.
 *
 * Only these statements are watched, and in them only the nesting of BEGIN/CASE/IF/LOOP/
 * WHILE/REPEAT/FOR … END: the body is open while that nesting is.
 */

const ROUTINE_KINDS: Readonly<Record<Engine, ReadonlySet<string>>> = {
  mysql: new Set(['TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT']),
  sqlite: new Set(['TRIGGER']),
  postgres: new Set(['FUNCTION', 'PROCEDURE']),
};

/** Words that may stand between CREATE and the routine kind. */
const PREAMBLE = new Set(['OR', 'REPLACE', 'AGGREGATE', 'TEMP', 'TEMPORARY', 'IF', 'NOT', 'EXISTS', 'SQL', 'SECURITY', 'DEFINER', 'INVOKER', 'ALGORITHM', 'UNDEFINED', 'MERGE', 'TEMPTABLE', 'CURRENT_USER', 'NONEDITIONABLE', 'EDITIONABLE']);

/** MySQL control statements that end in END <keyword>; they open only where a statement starts. */
const MYSQL_CONTROL = new Set(['IF', 'LOOP', 'WHILE', 'REPEAT', 'FOR']);

type Block = 'begin' | 'case-expression' | 'case-statement' | 'control';

export class CompoundBody {
  readonly #dialect: Engine;
  /** Tokens of the statement before it was known to be compound or plain (at most a few). */
  #head: Token[] = [];
  #state: 'undecided' | 'plain' | 'compound' = 'undecided';
  readonly #blocks: Block[] = [];
  #previous: Token | null = null;
  #beforePrevious: Token | null = null;

  constructor(dialect: Engine) {
    this.#dialect = dialect;
  }

  /** True while a `;` is inside the body (it does not end the statement). */
  get open(): boolean {
    return this.#blocks.length > 0;
  }

  feed(token: Token): void {
    if (this.#state === 'undecided') this.#decide(token);
    if (this.#state === 'compound') this.#track(token);
    this.#beforePrevious = this.#previous;
    this.#previous = token;
  }

  #decide(token: Token): void {
    // MySQL `/*!50003 CREATE*/` (mysqldump) carries the statement inside executable comments.
    if (token.kind === 'symbol' && (token.text.startsWith('/*') || token.text === '*/')) return;
    this.#head.push(token);
    const head = this.#head;
    const first = upper(head[0]!);
    if (head.length === 1) {
      if (first !== 'CREATE' && !(this.#dialect === 'mysql' && (first === 'ALTER' || first === 'BEGIN'))) this.#state = 'plain';
      return;
    }
    if (first === 'BEGIN') {
      // MariaDB: BEGIN NOT ATOMIC … END is a compound statement; a bare BEGIN starts a transaction.
      this.#state = upper(token) === 'NOT' ? 'compound' : 'plain';
      if (this.#state === 'compound') this.#blocks.push('begin');
      return;
    }
    const word = upper(token);
    if (token.kind === 'word' && ROUTINE_KINDS[this.#dialect].has(word)) {
      this.#state = first === 'ALTER' && word !== 'EVENT' ? 'plain' : 'compound';
      return;
    }
    const inDefiner = head.slice(-5).some((t) => upper(t) === 'DEFINER');
    const acceptable =
      (token.kind === 'word' && (PREAMBLE.has(word) || inDefiner)) ||
      token.kind === 'quoted' ||
      (token.kind === 'symbol' && (token.text === '=' || token.text === '@' || ((token.text === '(' || token.text === ')') && inDefiner)));
    if (!acceptable || head.length > 16) this.#state = 'plain';
  }

  #track(token: Token): void {
    if (token.kind !== 'word') return;
    if (this.#previous?.kind === 'symbol' && this.#previous.text === '.') return; // new.end, t.begin
    const word = upper(token);
    if (word === 'BEGIN') {
      this.#blocks.push('begin');
    } else if (word === 'CASE') {
      this.#blocks.push(this.#atStatementStart() ? 'case-statement' : 'case-expression');
    } else if (word === 'END') {
      this.#blocks.pop();
    } else if (this.#dialect === 'mysql' && MYSQL_CONTROL.has(word) && this.#atStatementStart()) {
      this.#blocks.push('control');
    }
  }

  /** Whether the token being read starts a statement of the body (MySQL's rules). */
  #atStatementStart(): boolean {
    const previous = this.#previous;
    if (previous === null) return false;
    if (previous.kind === 'symbol' || previous.kind === 'terminator') return previous.text === ';' || previous.text === ':';
    if (previous.kind !== 'word') return false;
    const word = upper(previous);
    if (word === 'BEGIN' || word === 'DO' || word === 'LOOP' || word === 'REPEAT' || word === 'ATOMIC') return true;
    if (word === 'THEN' || word === 'ELSE') return this.#blocks.at(-1) !== 'case-expression';
    // FOR EACH ROW IF …: a trigger body that is one control statement.
    return word === 'ROW' && upper(this.#beforePrevious) === 'EACH';
  }
}

function upper(token: Token | null): string {
  return token?.kind === 'word' ? token.text.toUpperCase() : '';
}
