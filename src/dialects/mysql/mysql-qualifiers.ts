import { quoteMysqlIdentifier } from './mysql-admin.js';

/**
 * Removes the `` `thedb`. `` qualifier that names the connected database from SQL the server
 * rendered itself: view bodies in information_schema.VIEWS, and MariaDB defaults such as
 * `nextval(`thedb`.`seq`)`. A snapshot never holds the database's own name, so `app_staging`
 * and `app` with equal schemas give equal snapshots. Qualifiers naming other databases stay.
 *
 * This only reads server renderings, where every identifier is backquoted: a backquoted name
 * followed by a dot is a qualifier. String literals are copied untouched, so a literal that
 * merely contains `` `thedb`. `` keeps it. Text users wrote (routine, trigger and event
 * bodies) is never passed here: it is stored as written.
 */
export function stripDatabaseQualifier(text: string, database: string): string {
  const qualifier = `${quoteMysqlIdentifier(database)}.`;
  if (!text.includes(qualifier)) return text;
  let result = '';
  let at = 0;
  while (at < text.length) {
    const ch = text[at]!;
    if (ch === "'" || ch === '"') {
      const end = endOfQuoted(text, at, true);
      result += text.slice(at, end);
      at = end;
    } else if (ch === '`') {
      if (text.startsWith(qualifier, at)) {
        at += qualifier.length;
        continue;
      }
      const end = endOfQuoted(text, at, false);
      result += text.slice(at, end);
      at = end;
    } else {
      result += ch;
      at += 1;
    }
  }
  return result;
}

/**
 * The index just past the quoted token starting at `start`. A doubled quote stands for
 * itself; in string literals a backslash also escapes the next character, as the server
 * writes them (`'x\\y'`, `'it''s'`).
 */
function endOfQuoted(text: string, start: number, backslashEscapes: boolean): number {
  const quote = text[start];
  let at = start + 1;
  while (at < text.length) {
    const ch = text[at];
    if (backslashEscapes && ch === '\\') {
      at += 2;
    } else if (ch === quote) {
      if (text[at + 1] === quote) at += 2;
      else return at + 1;
    } else {
      at += 1;
    }
  }
  return text.length;
}

/**
 * The backquoted identifiers in SQL the server rendered (a view body from
 * information_schema.VIEWS): every name it reads, plus column aliases. Quoted strings are
 * skipped, so a literal that looks like a name is not one.
 */
export function backquotedNames(text: string): Set<string> {
  const names = new Set<string>();
  let at = 0;
  while (at < text.length) {
    const ch = text[at]!;
    if (ch === "'" || ch === '"') {
      at = endOfQuoted(text, at, true);
    } else if (ch === '`') {
      const end = endOfQuoted(text, at, false);
      names.add(text.slice(at + 1, end - 1).replaceAll('``', '`'));
      at = end;
    } else {
      at += 1;
    }
  }
  return names;
}
