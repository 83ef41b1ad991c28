import { loadModule, parseSync, type Node, type ParseResult } from 'libpg-query';
import type { SqlStatement } from '../../migrations/migration.js';
import type { ParsedStatement } from './lint-rule.js';

/**
 * PostgreSQL statements as PostgreSQL's own parser reads them: libpg-query is the server's
 * gram.y compiled to WebAssembly (17.x here), so a statement the server accepts parses, and
 * its AST is the server's raw parse tree (`{ IndexStmt: { concurrent: true, … } }`).
 *
 * The WebAssembly module is loaded once, when this file is imported (about a quarter of a
 * second), so `parseStatements` can stay synchronous.
 */
await loadModule();

/** What `ParsedStatement.ast` holds for PostgreSQL: one node of the raw parse tree. */
export type PostgresNode = Node;

/**
 * Parses each statement with the real PostgreSQL parser. A statement the parser cannot read
 * (a syntax error, or a PostgreSQL newer than 17) is kept with `ast: null`: lint goes on and
 * only the rules that need the tree miss it. A text holding several statements (a goose
 * StatementBegin block) gives one entry per statement, each with its own text and line.
 */
export function parseStatements(statements: readonly SqlStatement[]): ParsedStatement[] {
  return statements.flatMap((statement) => parseOne(statement));
}

function parseOne(statement: SqlStatement): ParsedStatement[] {
  let result: ParseResult;
  try {
    result = parseSync(statement.text) as ParseResult;
  } catch {
    return [{ statement, ast: null }];
  }
  const raws = result.stmts ?? [];
  if (raws.length === 0) return [{ statement, ast: null }];
  if (raws.length === 1) return [{ statement, ast: raws[0]!.stmt ?? null }];
  // Locations are byte offsets into the UTF-8 text.
  const bytes = Buffer.from(statement.text, 'utf8');
  return raws.map((raw) => {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? bytes.length : start + raw.stmt_len;
    const before = bytes.subarray(0, start).toString('utf8');
    const slice = bytes.subarray(start, end).toString('utf8');
    const leading = slice.length - slice.trimStart().length;
    const lines = (before + slice.slice(0, leading)).split('\n').length - 1;
    return { statement: { line: statement.line + lines, text: slice.trim() }, ast: raw.stmt ?? null };
  });
}

/**
 * Parses an expression as the catalog renders it (`(email IS NOT NULL)` from a snapshot's
 * check constraint) into its node, or null when it does not parse.
 */
export function parseExpression(text: string): Node | null {
  try {
    const result = parseSync(`SELECT ${text}`) as ParseResult;
    const select = result.stmts?.[0]?.stmt;
    if (select === undefined || !('SelectStmt' in select)) return null;
    const target = select.SelectStmt.targetList?.[0];
    return target !== undefined && 'ResTarget' in target ? (target.ResTarget.val ?? null) : null;
  } catch {
    return null;
  }
}
