/**
 * Whether changing a column from one MySQL/MariaDB type to another can lose values
 * (`varchar(50)` → `varchar(20)`, `int` → `smallint`, an enum value removed). Types are read
 * from information_schema COLUMN_TYPE, which the server renders itself: a lower-case name,
 * an optional parenthesised list (lengths, or quoted enum/set values) and attribute words.
 */
export interface ColumnType {
  readonly base: string;
  readonly args: readonly string[];
  readonly unsigned: boolean;
}

export function readColumnType(text: string): ColumnType {
  const lower = text.trim();
  const open = lower.indexOf('(');
  const base = (open < 0 ? lower.split(' ')[0]! : lower.slice(0, open)).trim().toLowerCase();
  const args: string[] = [];
  let rest = open < 0 ? lower.slice(base.length) : '';
  if (open >= 0) {
    let at = open + 1;
    let current = '';
    while (at < lower.length) {
      const ch = lower[at]!;
      if (ch === "'") {
        // A quoted value: '' stands for a quote, and the server writes no backslash escapes here.
        let value = '';
        at += 1;
        while (at < lower.length) {
          if (lower[at] === "'" && lower[at + 1] === "'") {
            value += "'";
            at += 2;
          } else if (lower[at] === "'") {
            at += 1;
            break;
          } else {
            value += lower[at];
            at += 1;
          }
        }
        current += value;
        continue;
      }
      if (ch === ',' || ch === ')') {
        args.push(current.trim());
        current = '';
        at += 1;
        if (ch === ')') break;
        continue;
      }
      current += ch;
      at += 1;
    }
    rest = lower.slice(at);
  }
  return { base, args, unsigned: rest.toLowerCase().split(/\s+/).includes('unsigned') };
}

const INTEGER_BYTES: Record<string, number> = { tinyint: 1, smallint: 2, mediumint: 3, int: 4, integer: 4, bigint: 8 };
/** Largest length in characters (text types: in bytes, which bounds characters from above). */
const TEXT_LENGTH: Record<string, number> = { tinytext: 255, text: 65_535, mediumtext: 16_777_215, longtext: 4_294_967_295 };
const BLOB_LENGTH: Record<string, number> = { tinyblob: 255, blob: 65_535, mediumblob: 16_777_215, longblob: 4_294_967_295 };
const TEMPORAL_RANK: Record<string, number> = { year: 0, date: 1, datetime: 2, timestamp: 2 };

/** Characters a string type holds, or null when it is not one. */
function stringLength(type: ColumnType): number | null {
  if (type.base === 'char' || type.base === 'varchar') return Number(type.args[0] ?? 1);
  return TEXT_LENGTH[type.base] ?? null;
}

function binaryLength(type: ColumnType): number | null {
  if (type.base === 'binary' || type.base === 'varbinary') return Number(type.args[0] ?? 1);
  return BLOB_LENGTH[type.base] ?? null;
}

/** Decimal digits an integer type needs, sign included. */
function integerDigits(type: ColumnType): number {
  const bits = BigInt((INTEGER_BYTES[type.base] ?? 8) * 8);
  return type.unsigned ? String(2n ** bits - 1n).length : String(2n ** (bits - 1n)).length + 1;
}

/**
 * Why `from` → `to` can lose or reject existing values, or null when every value of `from`
 * fits `to`. Conservative: a change between unrelated kinds of type is narrowing.
 */
export function narrowingReason(fromText: string, toText: string): string | null {
  const from = readColumnType(fromText);
  const to = readColumnType(toText);
  const reason = `narrows ${fromText} to ${toText}`;
  const fromInt = INTEGER_BYTES[from.base];
  const toInt = INTEGER_BYTES[to.base];
  if (fromInt !== undefined && toInt !== undefined) {
    if (from.unsigned === to.unsigned) return toInt < fromInt ? reason : null;
    // unsigned → signed needs a wider type; signed → unsigned loses negatives.
    return !from.unsigned || toInt <= fromInt ? reason : null;
  }
  if (fromInt !== undefined && (to.base === 'decimal' || to.base === 'numeric')) {
    const [precision = 10, scale = 0] = to.args.map(Number);
    return precision - scale >= integerDigits(from) ? null : reason;
  }
  if (fromInt !== undefined && (to.base === 'double' || to.base === 'float')) return fromInt <= (to.base === 'double' ? 6 : 3) ? null : reason;
  if ((from.base === 'decimal' || from.base === 'numeric') && (to.base === 'decimal' || to.base === 'numeric')) {
    const [fp = 10, fs = 0] = from.args.map(Number);
    const [tp = 10, ts = 0] = to.args.map(Number);
    if (ts < fs || tp - ts < fp - fs) return reason;
    return !from.unsigned && to.unsigned ? reason : null;
  }
  if (from.base === 'float' && to.base === 'double') return null;
  if ((from.base === 'float' || from.base === 'double') && from.base === to.base) return null;
  const fromString = stringLength(from);
  const toString = stringLength(to);
  if (fromString !== null && toString !== null) return toString < fromString ? reason : null;
  if (fromInt !== undefined && toString !== null) return toString >= integerDigits(from) ? null : reason;
  const fromBinary = binaryLength(from);
  const toBinary = binaryLength(to);
  if (fromBinary !== null && toBinary !== null) {
    // binary(n) pads with zero bytes: going to or from it changes values.
    if ((from.base === 'binary') !== (to.base === 'binary') && toBinary < 255) return reason;
    return toBinary < fromBinary ? reason : null;
  }
  if ((from.base === 'enum' || from.base === 'set') && from.base === to.base) {
    const removed = from.args.filter((value) => !to.args.includes(value));
    return removed.length === 0 ? null : `removes ${from.base} value${removed.length === 1 ? '' : 's'} ${removed.map((v) => `'${v}'`).join(', ')}`;
  }
  if ((from.base === 'enum' || from.base === 'set') && toString !== null) {
    const longest = Math.max(0, ...from.args.map((value) => value.length)) * (from.base === 'set' ? from.args.length : 1);
    return toString >= longest ? null : reason;
  }
  const fromTemporal = TEMPORAL_RANK[from.base];
  const toTemporal = TEMPORAL_RANK[to.base];
  if (fromTemporal !== undefined && toTemporal !== undefined) {
    if (toTemporal < fromTemporal) return reason;
    // Fractional seconds: datetime(6) → datetime(3) rounds.
    if (Number(to.args[0] ?? 0) < Number(from.args[0] ?? 0)) return reason;
    // timestamp holds 1970–2038 only.
    return to.base === 'timestamp' && from.base !== 'timestamp' ? reason : null;
  }
  if (from.base === 'time' && to.base === 'time') return Number(to.args[0] ?? 0) < Number(from.args[0] ?? 0) ? reason : null;
  if (from.base === 'bit' && to.base === 'bit') return Number(to.args[0] ?? 1) < Number(from.args[0] ?? 1) ? reason : null;
  if (from.base === to.base && from.args.join() === to.args.join() && from.unsigned === to.unsigned) return null;
  return `converts ${fromText} to ${toText}; values that do not convert are lost`;
}
