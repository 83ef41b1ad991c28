import { SqlSyntaxError, tokenizeSql, type Token } from './sqlite-tokenizer.js';

/**
 * A SQL script cut into its statements the way SQLite reads them: a `;` ends a statement,
 * except inside the BEGIN … END of a CREATE TRIGGER (where CASE … END may nest). Used to
 * say which statement of a user's file SQLite refused.
 */
export interface ScriptStatement {
  /** 1-based line of the statement's first token. */
  readonly line: number;
  readonly text: string;
  readonly tokens: readonly Token[];
}

export function splitScript(script: string): ScriptStatement[] {
  const tokens = tokenizeSql(script);
  const statements: ScriptStatement[] = [];
  let first = 0;
  const isWord = (token: Token | undefined, word: string) => token?.kind === 'word' && token.value.toUpperCase() === word;
  const close = (last: number) => {
    if (last >= first) {
      const start = tokens[first]!.start;
      statements.push({
        line: lineOf(script, start),
        text: script.slice(start, tokens[last]!.end),
        tokens: tokens.slice(first, last + 1),
      });
    }
    first = last + 2;
  };
  let body: { caseDepth: number } | null = null;
  let trigger = false;
  for (let at = 0; at < tokens.length; at += 1) {
    const token = tokens[at]!;
    if (at === first) {
      const words = tokens.slice(at, at + 3).map((t) => (t.kind === 'word' ? t.value.toUpperCase() : ''));
      trigger = words[0] === 'CREATE' && (words[1] === 'TRIGGER' || ((words[1] === 'TEMP' || words[1] === 'TEMPORARY') && words[2] === 'TRIGGER'));
      body = null;
    }
    const afterDot = tokens[at - 1]?.kind === 'punct' && tokens[at - 1]?.value === '.';
    if (trigger && !afterDot) {
      if (body === null && isWord(token, 'BEGIN')) body = { caseDepth: 0 };
      else if (body !== null && isWord(token, 'CASE')) body.caseDepth += 1;
      else if (body !== null && isWord(token, 'END')) {
        if (body.caseDepth > 0) body.caseDepth -= 1;
        else trigger = false;
      }
    }
    if (token.kind === 'punct' && token.value === ';' && !(trigger && body !== null)) close(at - 1);
  }
  close(tokens.length - 1);
  return statements;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
}

/**
 * SQLite says `no such column: "x"` (3.41 and later add `- should this be a string literal
 * in single-quotes?`) when a double-quoted word names no column. The sqlite3 shell before
 * 3.41 (and a later one after `.dbconfig dqs_ddl on`) reads such a word as a string; better-sqlite3 is built with
 * SQLITE_DQS=0 and offers no switch to turn that back on (no option, no pragma), so a schema
 * written for the shell can fail here. This names the statement and says so, in one line;
 * `null` when the error is another one.
 */
export function explainDoubleQuotedString(script: string, message: string): string | null {
  const prefix = 'no such column: ';
  if (!message.startsWith(prefix)) return null;
  let name = message.slice(prefix.length);
  const hint = name.indexOf(' - should this be a string literal');
  if (hint >= 0) name = name.slice(0, hint);
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replaceAll('""', '"');
  let statements: ScriptStatement[];
  try {
    statements = splitScript(script);
  } catch (error) {
    if (error instanceof SqlSyntaxError) return null;
    throw error;
  }
  const statement = statements.find((s) => s.tokens.some((t) => t.kind === 'quoted' && script[t.start] === '"' && t.value === name));
  if (statement === undefined) return null;
  const quoted = `"${name.replaceAll('"', '""')}"`;
  return (
    `line ${statement.line}, ${summarize(script, statement)}: no such column: ${quoted}. ` +
    `If ${quoted} is meant as a string, write '${name.replaceAll("'", "''")}': the sqlite3 shell before 3.41 accepts double-quoted strings, ` +
    `but schemaguard's SQLite build (better-sqlite3, compiled with SQLITE_DQS=0) does not`
  );
}

/** `CREATE TABLE executions …`: the statement's first tokens, on one line. */
function summarize(script: string, statement: ScriptStatement): string {
  const shown = statement.tokens.slice(0, 3).map((t) => script.slice(t.start, t.end));
  return `${shown.join(' ')}${statement.tokens.length > shown.length ? ' …' : ''}`;
}
