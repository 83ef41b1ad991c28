/**
 * Server versions as the servers report them (`15.19`, `10.11.9-MariaDB`, `8.0.29`), compared
 * part by part as numbers; a missing part counts as 0.
 */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parts = (text: string): number[] => text.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const have = parts(version);
  const want = parts(minimum);
  for (let i = 0; i < want.length; i += 1) {
    const a = have[i] ?? 0;
    const b = want[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}
