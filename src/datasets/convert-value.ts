import type { Engine } from '../dialects/engine.js';
import type { Column, SchemaSnapshot } from '../snapshot/model.js';
import { JsonValue, NumberText } from './model.js';
import { formatDate, formatTime, formatTimestamp, fromEpochMs, parseDate, parseTimestamp, parseTimeWithZone, toUtc, type TimestampParts } from './temporal.js';

/**
 * Dataset values → what the driver binds for a column, chosen by the column's normalised
 * type. A value that does not fit throws a ConversionError; the loader adds the file, row
 * and column.
 *
 * What each family accepts (see docs/datasets.md):
 * - integers: whole numbers, or their text (beyond 2^53 too; write it as written);
 * - decimals: numbers or numeric text, bound as text so no digit is lost;
 * - booleans: true/false, yes/no, on/off, t/f, 1/0;
 * - dates, times, timestamps: ISO 8601 text (`2024-03-01 10:00:00+02:00`);
 * - JSON: a map or list, `$json:` anything, or text that parses as JSON;
 * - binary: hex text, with or without `\x` or `0x`;
 * - UUIDs, enums (checked against the type's values), PostgreSQL arrays (a list).
 */

export type DriverValue = string | number | bigint | boolean | Buffer | null;
export type Converter = (value: unknown) => DriverValue;

export class ConversionError extends Error {
  override readonly name = 'ConversionError';
}

export interface ConversionTarget {
  readonly engine: Engine;
  readonly snapshot: SchemaSnapshot;
}

const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};
const UNSIGNED_BIGINT_MAX = 18446744073709551615n;

export function converterFor(column: Column, target: ConversionTarget): Converter {
  const convert = baseConverter(column, target);
  return (value) => (value === null || value === undefined ? null : convert(value));
}

function baseConverter(column: Column, target: ConversionTarget): (value: unknown) => DriverValue {
  const { engine } = target;
  const normalized = column.normalizedType.toLowerCase();
  const family = normalized.replace(/\(.*$/, '');
  const native = column.type.toLowerCase();
  if (normalized.startsWith('array(') && engine === 'postgres') return arrayConverter(normalized.slice(6, -1), column, target);
  switch (family) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return integerConverter(family, column, engine);
    case 'decimal':
      // SQLite gives NUMERIC affinity to any type name it does not know (`STRING`): only declared numbers are checked.
      if (engine === 'sqlite' && !/\b(numeric|decimal|number)\b/.test(native)) return passThrough(engine);
      return (value) => decimalText(value);
    case 'float':
    case 'double':
      return (value) => floatValue(value);
    case 'boolean':
      return (value) => {
        const truth = booleanValue(value);
        return engine === 'postgres' ? truth : truth ? 1 : 0;
      };
    case 'text':
    case 'varchar':
    case 'char':
      return (value) => textValue(value);
    case 'date':
      return (value) => dateText(value);
    case 'time':
      return (value) => timeText(value, false, engine);
    case 'timetz':
      return (value) => timeText(value, true, engine);
    case 'timestamp':
      return (value) => timestampText(value, false, engine);
    case 'timestamptz':
      return (value) => timestampText(value, true, engine);
    case 'json':
      return (value) => jsonText(value);
    case 'binary':
      return (value) => binaryValue(value);
    case 'uuid':
      return (value) => uuidText(value);
    case 'enum': {
      const values = enumValues(column, target);
      return (value) => enumText(value, values);
    }
    case 'interval':
      return (value) => scalarText(value, 'an interval');
    default:
      return passThrough(engine);
  }
}

// ---------------------------------------------------------------------------------------

function integerConverter(family: string, column: Column, engine: Engine): (value: unknown) => DriverValue {
  const unsigned = /\bunsigned\b/i.test(column.type);
  // Only PostgreSQL's names say the exact width (MySQL's tinyint and mediumint normalise to smallint and integer).
  const [min, max] = engine === 'postgres' ? INTEGER_RANGES[family]! : unsigned ? [0n, UNSIGNED_BIGINT_MAX] : INTEGER_RANGES.bigint!;
  return (value) => {
    const integer = integerValue(value);
    if (integer < min || integer > max) throw new ConversionError(`${describe(value)} is out of range for ${column.type} (${min} to ${max})`);
    if (integer >= BigInt(Number.MIN_SAFE_INTEGER) && integer <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(integer);
    // better-sqlite3 binds a bigint as a 64-bit integer; pg and mysql2 send text, which the server reads exactly.
    return engine === 'sqlite' ? integer : integer.toString();
  };
}

function integerValue(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (value instanceof NumberText) {
    const text = value.text.replace(/_/g, '');
    if (/^[+-]?\d+$/.test(text)) return BigInt(text);
    if (Number.isSafeInteger(value.value)) return BigInt(value.value);
    throw new ConversionError(`${value.text} is not a whole number`);
  }
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return BigInt(value);
    if (Number.isInteger(value)) throw new ConversionError(`${value} is beyond 2^53 and has lost digits; write it as a quoted string`);
    throw new ConversionError(`${value} is not a whole number`);
  }
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return BigInt(value.trim());
  throw new ConversionError(`${describe(value)} is not a whole number`);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function decimalText(value: unknown): string {
  if (value instanceof NumberText) return DECIMAL.test(value.text) ? value.text : finiteText(value.value, value.text);
  if (typeof value === 'number') return finiteText(value, String(value));
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' && DECIMAL.test(value.trim())) return value.trim();
  throw new ConversionError(`${describe(value)} is not a decimal number`);
}

function finiteText(value: number, written: string): string {
  if (!Number.isFinite(value)) throw new ConversionError(`${written} is not a decimal number`);
  return String(value);
}

function floatValue(value: unknown): number {
  if (value instanceof NumberText) return value.value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const text = value.trim();
    if (DECIMAL.test(text)) return Number(text);
    if (/^[+-]?(inf(inity)?|\.inf)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/^(nan|\.nan)$/i.test(text)) return Number.NaN;
  }
  throw new ConversionError(`${describe(value)} is not a number`);
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', 'off', '0']);

function booleanValue(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const text = value instanceof NumberText ? value.text : typeof value === 'number' || typeof value === 'bigint' ? String(value) : typeof value === 'string' ? value.trim().toLowerCase() : null;
  if (text !== null && TRUE_WORDS.has(text)) return true;
  if (text !== null && FALSE_WORDS.has(text)) return false;
  throw new ConversionError(`${describe(value)} is not a boolean (true/false, yes/no, 1/0)`);
}

function textValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof NumberText) return value.text;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof JsonValue) return JSON.stringify(toJsonPlain(value.value));
  throw new ConversionError(`${describe(value)} is not text; quote it, or load it into a JSON column`);
}

function scalarText(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (value instanceof NumberText) return value.text;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw new ConversionError(`${describe(value)} is not ${what}`);
}

function dateText(value: unknown): string {
  if (value instanceof Date) return formatDate(fromEpochMs(value.getTime()).date);
  if (typeof value === 'string' && parseDate(value.trim()) !== null) return value.trim();
  throw new ConversionError(`${describe(value)} is not a date (YYYY-MM-DD)`);
}

function timeText(value: unknown, withZone: boolean, engine: Engine): string {
  const text = typeof value === 'string' ? value.trim() : null;
  const parsed = text === null ? null : parseTimeWithZone(text);
  if (text === null || parsed === null || (!withZone && parsed.offset !== null)) {
    throw new ConversionError(`${describe(value)} is not a time (HH:MM[:SS[.ffffff]]${withZone ? '[+HH:MM]' : ''})`);
  }
  return engine === 'sqlite' ? text : `${formatTime(parsed.time)}${withZone && parsed.offset !== null ? text.slice(text.search(/[zZ+-]/)) : ''}`;
}

/**
 * Timestamps. Without a zone, a `timestamptz` value is taken as UTC (not the session's zone,
 * which differs between machines). MySQL's TIMESTAMP is read in the session time zone, which
 * the loader sets to UTC, so it is given UTC wall-clock text. SQLite keeps the text as written.
 */
function timestampText(value: unknown, withZone: boolean, engine: Engine): string {
  if (value instanceof Date) {
    const parts = fromEpochMs(value.getTime());
    return withZone && engine !== 'mysql' ? formatTimestamp(parts, true) : formatTimestamp(parts, false);
  }
  const text = typeof value === 'string' ? value.trim() : null;
  const parsed: TimestampParts | null = text === null ? null : parseTimestamp(text);
  if (text === null || parsed === null) throw new ConversionError(`${describe(value)} is not a timestamp (YYYY-MM-DD HH:MM[:SS[.ffffff]]${withZone ? '[+HH:MM]' : ''})`);
  if (!withZone && parsed.offset !== null) {
    throw new ConversionError(`${describe(value)} names a time zone, and the column is a timestamp without time zone`);
  }
  if (engine === 'sqlite') return text;
  if (!withZone) return formatTimestamp(parsed, false);
  if (engine === 'mysql') return formatTimestamp(toUtc(parsed), false);
  return `${formatTimestamp(parsed.offset === null ? { ...parsed, offset: 0 } : parsed, true)}`;
}

function jsonText(value: unknown): string {
  if (value instanceof JsonValue) return JSON.stringify(toJsonPlain(value.value)) ?? 'null';
  if (typeof value === 'string') {
    try {
      JSON.parse(value);
      return value;
    } catch {
      throw new ConversionError(`${describe(value)} is not JSON text; for a JSON string write { $json: ${JSON.stringify(value)} }`);
    }
  }
  return literalJson(value);
}

/** JSON text of a literal; numbers keep the digits they were written with. */
function literalJson(value: unknown): string {
  if (value instanceof NumberText) return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(value.text) ? value.text : JSON.stringify(value.value);
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(literalJson).join(',')}]`;
  if (typeof value === 'object' && !(value instanceof Uint8Array)) {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${JSON.stringify(key)}:${literalJson(item)}`)
      .join(',')}}`;
  }
  throw new ConversionError(`${describe(value)} cannot be written as JSON`);
}

function toJsonPlain(value: unknown): unknown {
  return JSON.parse(literalJson(value)) as unknown;
}

function binaryValue(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  // YAML reads an unquoted 0xdeadbeef as a number; its text is the hex.
  const text = value instanceof NumberText && /^0x/i.test(value.text) ? value.text : value;
  if (typeof text === 'string') {
    const hex = text.trim().replace(/^(\\x|0x)/i, '');
    if (/^([0-9a-f]{2})*$/i.test(hex)) return Buffer.from(hex, 'hex');
  }
  throw new ConversionError(`${describe(value)} is not binary data as hex (e.g. \\xdeadbeef or 0xdeadbeef)`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidText(value: unknown): string {
  if (typeof value === 'string' && UUID.test(value.trim())) return value.trim().toLowerCase();
  throw new ConversionError(`${describe(value)} is not a UUID (8-4-4-4-12 hex digits)`);
}

function enumText(value: unknown, values: readonly string[] | null): string {
  const text = typeof value === 'string' ? value : value instanceof NumberText ? value.text : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
  if (text === null) throw new ConversionError(`${describe(value)} is not one of the enum's values`);
  if (values !== null && !values.includes(text)) {
    throw new ConversionError(`${describe(text)} is not one of ${values.map((item) => JSON.stringify(item)).join(', ')}`);
  }
  return text;
}

/** An enum's values: PostgreSQL's from the enum type, MySQL's from `enum('a','b')`. */
function enumValues(column: Column, target: ConversionTarget): readonly string[] | null {
  if (target.engine === 'mysql') {
    const match = /^enum\((.*)\)$/is.exec(column.type.trim());
    if (match === null) return null;
    return [...match[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((found) => found[1]!.replace(/''/g, "'").replace(/\\\\/g, '\\'));
  }
  const typeName = column.type.replace(/"/g, '');
  const found = target.snapshot.types.find(
    (type) => type.kind === 'enum' && (type.name === typeName || `${type.schema}.${type.name}` === typeName),
  );
  return found?.kind === 'enum' ? found.values : null;
}

/** PostgreSQL arrays: a list becomes an array literal (`{1,2}`, `{"a b",NULL}`); text is passed as written. */
function arrayConverter(elementType: string, column: Column, target: ConversionTarget): (value: unknown) => DriverValue {
  const element = converterFor({ ...column, normalizedType: elementType, type: elementType }, target);
  const render = (item: unknown): string => {
    if (Array.isArray(item)) return `{${item.map(render).join(',')}}`;
    const converted = element(item);
    if (converted === null) return 'NULL';
    if (typeof converted === 'number' || typeof converted === 'bigint') return String(converted);
    if (typeof converted === 'boolean') return converted ? 't' : 'f';
    const text = Buffer.isBuffer(converted) ? `\\x${converted.toString('hex')}` : converted;
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  };
  return (value) => {
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return render(value);
    throw new ConversionError(`${describe(value)} is not a list (for ${column.type})`);
  };
}

/** Types schemaguard has no family for (tsvector, inet, MySQL SET…): scalars go as they are, the server converts. */
function passThrough(engine: Engine): (value: unknown) => DriverValue {
  return (value) => {
    if (value instanceof NumberText) {
      const integer = /^[+-]?\d+$/.test(value.text);
      // better-sqlite3 binds every JavaScript number as a REAL; a bigint binds as an INTEGER.
      if (integer && engine === 'sqlite') return BigInt(value.text);
      return Number.isSafeInteger(value.value) || !integer ? value.value : value.text;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return value;
    if (typeof value === 'boolean') return engine === 'postgres' ? value : value ? 1 : 0;
    if (Buffer.isBuffer(value)) return value;
    if (value instanceof Date) return value.toISOString();
    return literalJson(value instanceof JsonValue ? value.value : value);
  };
}

/** A short rendering of a value for messages. */
export function describe(value: unknown): string {
  if (value instanceof NumberText) return value.text;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex').slice(0, 40)}`;
  if (value instanceof JsonValue) return describe(value.value);
  if (value !== null && typeof value === 'object') {
    try {
      const text = literalJson(value);
      return text.length > 60 ? `${text.slice(0, 57)}…` : text;
    } catch {
      return 'a value';
    }
  }
  return String(value);
}
