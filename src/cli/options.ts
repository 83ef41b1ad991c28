import { InvalidArgumentError } from 'commander';
import { parseDatabaseUrl } from '../dialects/database-url.js';
import { parseEngineName, type Engine } from '../dialects/engine.js';
import { scratchTargetFromUrl, type ScratchTarget } from '../scratch/scratch-target.js';

/** Option parsers shared by commands: each turns text into a typed value or a usage error. */

export function parseTimeoutSeconds(text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw new InvalidArgumentError('expected a number of seconds (0 disables the timeout)');
  return seconds;
}

export function parseDialect(text: string): Engine {
  const engine = parseEngineName(text);
  if (engine === undefined) throw new InvalidArgumentError('expected postgres, mysql or sqlite');
  return engine;
}

export function parseScratch(text: string): ScratchTarget {
  try {
    return scratchTargetFromUrl(parseDatabaseUrl(text));
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** `90s`, `30m`, `1h`, `2d` (a bare number is minutes). */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$/i.exec(text.trim());
  if (match === null) throw new InvalidArgumentError('expected a duration such as 90s, 30m, 1h or 2d');
  const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(match[1]) * (units[(match[2] ?? 'm').toLowerCase()] ?? 60_000);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A whole number of at least `minimum`. */
export function parseCount(minimum: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum) throw new InvalidArgumentError(`expected a whole number of at least ${minimum}`);
    return value;
  };
}

/**
 * `--data [TABLES…]` as given (true without tables, the list with; commas separate too) and
 * `--no-data` (false), else the config file's `data`: the table patterns, or null for no data.
 */
export function dataTables(flag: boolean | string[] | undefined, fromCli: boolean, config: boolean | string[] | undefined): string[] | null {
  const value = fromCli ? flag : (config ?? flag);
  if (value === undefined || value === false) return null;
  if (value === true) return [];
  return value.flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item !== '');
}
