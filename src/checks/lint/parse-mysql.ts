import mariadbGrammar from 'node-sql-parser/build/mariadb.js';
import mysqlGrammar from 'node-sql-parser/build/mysql.js';
import type { SqlStatement } from '../../migrations/migration.js';
import { SqlLexer, type Token } from '../../migrations/sql-lexer.js';
import type { ParsedStatement } from './lint-rule.js';

/**
 * MySQL and MariaDB statements as node-sql-parser (5.x) reads them. The grammar is chosen by
 * the server product (`MariaDB` or `MySQL`); where the product's grammar fails, the other
 * one is tried, since node-sql-parser's MariaDB grammar lacks some MySQL syntax both servers
 * accept (`ALTER TABLE t ADD PRIMARY KEY (id)`, `MODIFY c ENUM(…)`). A statement neither
 * grammar reads is kept with `ast: null`.
 *
 * The AST is node-sql-parser's: `{ type: 'alter', table: [{ db, table }], expr: [{ action:
 * 'add', resource: 'column', … }] }`. Its published types are loose; the rules read it
 * through the narrow views in rules/statement-mysql.ts.
 */

const mysqlParser = new mysqlGrammar.Parser();
const mariadbParser = new mariadbGrammar.Parser();

type Grammar = 'MySQL' | 'MariaDB';

function astify(text: string, grammar: Grammar): unknown[] {
  const parser = grammar === 'MariaDB' ? mariadbParser : mysqlParser;
  const ast = parser.astify(text, { database: grammar });
  return Array.isArray(ast) ? ast : [ast];
}

/**
 * Parses each statement with node-sql-parser's grammar for `product` (the server product as
 * the step reports it; MySQL when not given). Never throws.
 */
export function parseStatements(statements: readonly SqlStatement[], product = 'MySQL'): ParsedStatement[] {
  const grammars: Grammar[] = product === 'MariaDB' ? ['MariaDB', 'MySQL'] : ['MySQL', 'MariaDB'];
  return statements.flatMap((statement): ParsedStatement[] => {
    for (const grammar of grammars) {
      let asts: unknown[];
      try {
        asts = astify(statement.text, grammar);
      } catch {
        continue;
      }
      const nodes = asts.filter((ast) => ast !== null && typeof ast === 'object');
      if (nodes.length === 0) continue;
      return nodes.map((ast) => ({ statement, ast }));
    }
    return [{ statement, ast: null }];
  });
}

/**
 * The tokens of a statement as MySQL's lexical rules cut them (comments and whitespace left
 * out): for the few statements node-sql-parser has no grammar for (OPTIMIZE TABLE, ALTER
 * TABLE … CONVERT TO CHARACTER SET), rules read their keywords here, never by patterns.
 */
export function statementTokens(statement: SqlStatement): Token[] {
  const tokens: Token[] = [];
  try {
    const lexer = new SqlLexer(statement.text, 'mysql');
    for (let token: Token | null = lexer.next(false); token !== null && token.kind !== 'terminator'; token = lexer.next(false)) {
      tokens.push(token);
    }
  } catch {
    // An unterminated string: the statement never reached the server either.
  }
  return tokens;
}

/** A word token's keyword (upper case), or null for any other token. */
export function keywordOf(token: Token | undefined): string | null {
  return token?.kind === 'word' ? token.text.toUpperCase() : null;
}

/** The name a word or back-quoted token stands for. */
export function identifierOf(token: Token | undefined): string | null {
  if (token === undefined) return null;
  if (token.kind === 'word') return token.text;
  if (token.kind === 'quoted' && token.text.startsWith('`')) return token.text.slice(1, -1).replaceAll('``', '`');
  return null;
}
