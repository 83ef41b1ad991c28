import { randomBytes } from 'node:crypto';

/** Every database schemaguard creates starts with this, so `scratch gc` can find leftovers. */
export const SCRATCH_PREFIX = 'schemaguard_';

/** `schemaguard_20261125t135400_3f9a1c`: creation time (UTC) and a random suffix, lowercase for MySQL on any OS. */
export function newScratchName(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').toLowerCase();
  return `${SCRATCH_PREFIX}${stamp}_${randomBytes(3).toString('hex')}`;
}

/** When a scratch database was created, from its name; `null` when the name is not one of ours. */
export function scratchCreatedAt(name: string): Date | null {
  const match = /^schemaguard_(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})_[0-9a-f]{6}$/.exec(name.toLowerCase());
  if (match === null) return null;
  const [, year, month, day, hour, minute, second] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
  return Number.isNaN(date.getTime()) ? null : date;
}
