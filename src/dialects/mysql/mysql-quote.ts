import { quoteMysqlIdentifier } from './mysql-admin.js';

/**
 * Identifier, literal and account quoting for generated MySQL/MariaDB. Names are always
 * backquoted: MySQL's reserved words grow with every release, and a backquoted name reads
 * back the same on every server and in every sql_mode but ANSI_QUOTES-only scripts.
 */
export const quoteIdent = quoteMysqlIdentifier;

/**
 * A string literal. Backslashes are doubled as well as quotes: the default sql_mode reads
 * `\` as an escape (a session with NO_BACKSLASH_ESCAPES would read them doubled).
 */
export function quoteString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * `user@host` as information_schema shows a DEFINER → `` `user`@`host` ``. Host names never
 * hold an `@`, user names may: the last `@` splits. A MariaDB role has no host.
 */
export function quoteAccount(account: string): string {
  const at = account.lastIndexOf('@');
  if (at < 0) return quoteIdent(account);
  return `${quoteIdent(account.slice(0, at))}@${quoteIdent(account.slice(at + 1))}`;
}

/**
 * A grantee as information_schema shows it (`'app'@'%'`) is already an account in SQL
 * syntax; anything else (a bare role name) is quoted as a string.
 */
export function grantee(text: string): string {
  return text.startsWith("'") && text.endsWith("'") ? text : quoteString(text);
}

/**
 * Wraps statements that contain `;` (routine, trigger and event bodies) in a DELIMITER
 * block the `mysql`/`mariadb` client understands, with a delimiter the text does not hold.
 * The block ends with `DELIMITER ;`, so the script goes on with `;` as usual.
 */
export function delimited(statements: readonly string[]): string {
  const text = statements.join('\n');
  const delimiter = ['//', '$$', ';;', '//~', '$$~'].find((candidate) => !text.includes(candidate)) ?? '//~~';
  return [`DELIMITER ${delimiter}`, ...statements.map((s) => `${s}${delimiter}`), 'DELIMITER ;'].join('\n');
}
