import type { Engine } from '../../dialects/engine.js';
import type { SqlStatement } from '../../migrations/migration.js';
import { SqlLexer, type Token } from '../../migrations/sql-lexer.js';
import type { ParsedStatement } from './lint-rule.js';

/**
 * Which statement of a migration a finding about an object belongs to. The snapshot diff says
 * what changed, not which statement did it: each statement's names are read from its parse
 * tree (every text leaf: relation, column, index, constraint names), or, where no parser read
 * it (SQLite, a statement the parser does not know), from its tokens as the engine's lexer
 * cuts them. Data definition statements win over data manipulation ones that name the same
 * objects (an UPDATE before the ALTER it prepares).
 */

const DDL_KEYWORDS = new Set(['CREATE', 'ALTER', 'DROP', 'RENAME', 'TRUNCATE']);

interface StatementNames {
  readonly statement: SqlStatement;
  readonly names: ReadonlySet<string>;
  readonly ddl: boolean;
}

export class StatementLocator {
  readonly #statements: StatementNames[];

  constructor(parsed: readonly ParsedStatement[], engine: Engine) {
    const lexed = parsed.map(({ statement, ast }) => {
      const tokens = lexTokens(statement.text, engine);
      const first = tokens[0];
      const names = new Set<string>();
      if (ast !== null && ast !== undefined) collectStrings(ast, names);
      else for (const token of tokens) if (token.kind === 'word' || token.kind === 'quoted') names.add(unquote(token.text).toLowerCase());
      return { statement, names, tokens, ddl: first?.kind === 'word' && DDL_KEYWORDS.has(first.text.toUpperCase()) };
    });
    // A table rebuilt under a temporary name (SQLite's CREATE TABLE users_new …; ALTER TABLE
    // users_new RENAME TO users): the statements that name users_new also touch users.
    const created = new Set<string>();
    for (const { tokens } of lexed) {
      const createdName = createdTable(tokens);
      if (createdName !== null) created.add(createdName);
      const rename = renamedTable(tokens);
      if (rename === null || !created.has(rename.from)) continue;
      for (const other of lexed) if (other.names.has(rename.from)) other.names.add(rename.to);
    }
    this.#statements = lexed.map(({ statement, names, ddl }) => ({ statement, names, ddl }));
  }

  get first(): SqlStatement | null {
    return this.#statements[0]?.statement ?? null;
  }

  /**
   * The statement that touched `object` (a qualified name such as `public.orders.user_id`, or
   * `orders` on MySQL and SQLite), given the namespaces that may lead it: first one naming
   * every part of it, then its table, then its own name; else the first data definition
   * statement (an object no statement names went with one, a view with DROP … CASCADE: never
   * with the SET lock_timeout before it), else the first statement.
   */
  locate(object: string | null, namespaces: ReadonlySet<string>): SqlStatement | null {
    if (object === null) return this.first;
    const { parts, namespace } = nameParts(object, namespaces);
    // Last, the schema it is in: a table that goes with DROP SCHEMA … CASCADE.
    const tries = [parts, parts.slice(0, 1), parts.slice(-1), namespace === null ? [] : [namespace]].filter((t, i, all) => t.length > 0 && all.findIndex((o) => o.join('.') === t.join('.')) === i);
    for (const wanted of tries) {
      const naming = this.#statements.filter((s) => wanted.every((part) => s.names.has(part)));
      const found = naming.find((s) => s.ddl) ?? naming[0];
      if (found !== undefined) return found.statement;
    }
    return this.#statements.find((s) => s.ddl)?.statement ?? this.first;
  }
}

/** `public.orders.user_id` → ['orders', 'user_id'] in namespace 'public' (lower case); `public.f(integer)` → ['f']. */
function nameParts(object: string, namespaces: ReadonlySet<string>): { parts: string[]; namespace: string | null } {
  const paren = object.indexOf('(');
  const parts = (paren < 0 ? object : object.slice(0, paren)).split('.').map((part) => part.toLowerCase());
  const namespace = parts.length > 1 && namespaces.has(parts[0]!) ? parts.shift()! : null;
  return { parts: parts.filter((part) => part !== ''), namespace };
}

const isWord = (token: Token | undefined, word: string) => token?.kind === 'word' && token.text.toUpperCase() === word;

/** The table name after `[schema.]` in tokens from `at`, lower case; its last token's index. */
function tableNameAt(tokens: readonly Token[], at: number): { name: string; end: number } | null {
  let end = at;
  if (tokens[at + 1]?.text === '.') end = at + 2;
  const token = tokens[end];
  return token === undefined || (token.kind !== 'word' && token.kind !== 'quoted') ? null : { name: unquote(token.text).toLowerCase(), end };
}

/** `CREATE [TEMP] TABLE [IF NOT EXISTS] name …` → name. */
function createdTable(tokens: readonly Token[]): string | null {
  if (!isWord(tokens[0], 'CREATE')) return null;
  const table = tokens.findIndex((token, index) => index <= 2 && isWord(token, 'TABLE'));
  if (table < 0) return null;
  const at = isWord(tokens[table + 1], 'IF') ? table + 4 : table + 1;
  return tableNameAt(tokens, at)?.name ?? null;
}

/** `ALTER TABLE from RENAME TO to` → { from, to }. */
function renamedTable(tokens: readonly Token[]): { from: string; to: string } | null {
  if (!isWord(tokens[0], 'ALTER') || !isWord(tokens[1], 'TABLE')) return null;
  const from = tableNameAt(tokens, 2);
  if (from === null || !isWord(tokens[from.end + 1], 'RENAME') || !isWord(tokens[from.end + 2], 'TO')) return null;
  const to = tableNameAt(tokens, from.end + 3);
  return to === null ? null : { from: from.name, to: to.name };
}

function lexTokens(text: string, engine: Engine): Token[] {
  const tokens: Token[] = [];
  try {
    const lexer = new SqlLexer(text, engine);
    for (let token = lexer.next(true); token !== null; token = lexer.next(false)) tokens.push(token);
  } catch {
    // An unterminated string or comment: the tokens read so far.
  }
  return tokens;
}

const QUOTES: Readonly<Record<string, string>> = { '"': '"', '`': '`', "'": "'", '[': ']' };

function unquote(text: string): string {
  const close = QUOTES[text[0] ?? ''];
  if (close === undefined || text.length < 2 || !text.endsWith(close)) return text;
  return text.slice(1, -1).replaceAll(close + close, close);
}

/** Every text leaf of a parse tree, lower case. */
function collectStrings(node: unknown, into: Set<string>): void {
  if (typeof node === 'string') {
    into.add(node.toLowerCase());
    return;
  }
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) collectStrings(item, into);
    return;
  }
  for (const value of Object.values(node as Record<string, unknown>)) collectStrings(value, into);
}
