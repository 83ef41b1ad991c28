/**
 * Migration versions as the tools order them. Most tools use numbers (`0042`, timestamps like
 * `20240115103000`), Flyway dotted versions (`1.2.10`, where 1.2.10 comes after 1.2.9 and 1.0
 * is the same version as 1), diesel dashed timestamps (`2024-01-15-103000`). Kysely has no
 * version: its migrations apply in the order of their names.
 */
export type MigrationVersion =
  | {
      readonly kind: 'number';
      /** As written in the file name. */
      readonly text: string;
      /** The numeric parts: one for `0042`, three for `1.2.10`. Arbitrarily large (timestamps). */
      readonly parts: readonly bigint[];
    }
  | {
      readonly kind: 'name';
      readonly text: string;
    };

/** `0042`, `1.2.10`, `1_2_10` (Flyway's underscore form), `2024-01-15-103000`; null otherwise. */
export function parseNumericVersion(text: string, separators: readonly string[] = []): MigrationVersion | null {
  const parts: bigint[] = [];
  let digits = '';
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') {
      digits += ch;
    } else if (separators.includes(ch) && digits !== '') {
      parts.push(BigInt(digits));
      digits = '';
    } else {
      return null;
    }
  }
  if (digits === '') return null;
  parts.push(BigInt(digits));
  return { kind: 'number', text, parts };
}

export function nameVersion(text: string): MigrationVersion {
  return { kind: 'name', text };
}

/**
 * Negative when `a` applies before `b`, zero when they are the same version. Missing trailing
 * parts count as zero (Flyway: 1 and 1.0 are one version). Kysely names compare as Kysely's
 * migrator compares them (`localeCompare`, here pinned to English so that it is the same on
 * every machine).
 */
export function compareVersions(a: MigrationVersion, b: MigrationVersion): number {
  if (a.kind === 'number' && b.kind === 'number') {
    const length = Math.max(a.parts.length, b.parts.length);
    for (let at = 0; at < length; at += 1) {
      const left = a.parts[at] ?? 0n;
      const right = b.parts[at] ?? 0n;
      if (left !== right) return left < right ? -1 : 1;
    }
    return 0;
  }
  if (a.kind === 'name' && b.kind === 'name') return a.text.localeCompare(b.text, 'en');
  return a.kind === 'number' ? -1 : 1;
}

/**
 * Whether versions are a plain sequence (1, 2, 3 or 0001, 0002): single numbers below 100000.
 * Timestamps and dotted versions have gaps by design; a sequence should not.
 */
export function isSequenceNumber(version: MigrationVersion): boolean {
  return version.kind === 'number' && version.parts.length === 1 && version.parts[0]! < 100_000n;
}
