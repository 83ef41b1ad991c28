import type { Grant } from '../../snapshot/model.js';

/** aclitem privilege letters (src/include/utils/acl.h). */
const PRIVILEGES: Record<string, string> = {
  r: 'SELECT',
  a: 'INSERT',
  w: 'UPDATE',
  d: 'DELETE',
  D: 'TRUNCATE',
  x: 'REFERENCES',
  t: 'TRIGGER',
  X: 'EXECUTE',
  U: 'USAGE',
  C: 'CREATE',
  c: 'CONNECT',
  T: 'TEMPORARY',
  m: 'MAINTAIN',
  s: 'SET',
  A: 'ALTER SYSTEM',
};

/** `"my role"` → `my role` (aclitem quotes names the way identifiers are quoted). */
function unquote(name: string): string {
  return name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
}

/** Splits `grantee=privileges/grantor` at the first `=` outside quotes. */
function splitItem(item: string): [string, string] | null {
  let quoted = false;
  for (let i = 0; i < item.length; i += 1) {
    const ch = item[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '=' && !quoted) return [item.slice(0, i), item.slice(i + 1)];
  }
  return null;
}

/**
 * The grants of an ACL (`{postgres=arwdDxt/postgres,app=r/postgres,=r/postgres}`), leaving out
 * the owner's own entry. A NULL ACL means the defaults: no grants to list.
 */
export function grantsFromAcl(acl: readonly string[] | null, owner: string | null): Grant[] {
  const grants: Grant[] = [];
  for (const item of acl ?? []) {
    const parts = splitItem(item);
    if (parts === null) continue;
    const grantee = parts[0] === '' ? 'PUBLIC' : unquote(parts[0]);
    if (grantee === owner) continue;
    const letters = parts[1].split('/')[0] ?? '';
    for (let i = 0; i < letters.length; i += 1) {
      const privilege = PRIVILEGES[letters[i]!];
      if (privilege === undefined) continue;
      const grantable = letters[i + 1] === '*';
      if (grantable) i += 1;
      grants.push({ grantee, privilege, grantable });
    }
  }
  return grants;
}
