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
    this.#statements = parsed.map(({ statement, ast }) => {
      const tokens = lexTokens(statement.text, engine);
      const first = tokens[0];
      const names = new Set<string>();
      if (ast !== null && ast !== undefined) collectStrings(ast, names);
      else for (const token of tokens) if (token.kind === 'word' || token.kind === 'quoted') names.add(unquote(token.text).toLowerCase());
      return { statement, names, ddl: first?.kind === 'word' && DDL_KEYWORDS.has(first.text.toUpperCase()) };
    });
  }

  get first(): SqlStatement | null {
    return this.#statements[0]?.statement ?? null;
  }

  /**
   * The statement that touched `object` (a qualified name such as `public.orders.user_id`, or
   * `orders` on MySQL and SQLite), given the namespaces that may lead it: first one naming
   * every part of it, then its table, then its own name; else the first statement.
   */
  locate(object: string | null, namespaces: ReadonlySet<string>): SqlStatement | null {
    if (object === null) return this.first;
    const parts = nameParts(object, namespaces);
    const tries = [parts, parts.slice(0, 1), parts.slice(-1)].filter((t, i, all) => t.length > 0 && all.findIndex((o) => o.join('.') === t.join('.')) === i);
    for (const wanted of tries) {
      const naming = this.#statements.filter((s) => wanted.every((part) => s.names.has(part)));
      const found = naming.find((s) => s.ddl) ?? naming[0];
      if (found !== undefined) return found.statement;
    }
    return this.first;
  }
}

/** `public.orders.user_id` → ['orders', 'user_id'] (lower case); `public.f(integer)` → ['f']. */
function nameParts(object: string, namespaces: ReadonlySet<string>): string[] {
  const paren = object.indexOf('(');
  const parts = (paren < 0 ? object : object.slice(0, paren)).split('.').map((part) => part.toLowerCase());
  if (parts.length > 1 && namespaces.has(parts[0]!)) parts.shift();
  return parts.filter((part) => part !== '');
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
