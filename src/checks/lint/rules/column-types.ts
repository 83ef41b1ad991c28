import type { Engine } from '../../../dialects/engine.js';

/**
 * What the diff rules need to know about column types: whether a change narrows the values a
 * column holds, whether PostgreSQL keeps the rows as they are, and the values of an enum. They
 * read the snapshot's normalised types (`varchar(255)`, `decimal(10,2)`, `bigint`), never the
 * migration's SQL.
 */

/** `decimal(10,2)` → { base: 'decimal', args: [10, 2] }; `text` → { base: 'text', args: [] }. */
export interface TypeShape {
  readonly base: string;
  readonly args: readonly number[];
}

export function typeShape(normalized: string): TypeShape {
  const open = normalized.indexOf('(');
  if (open < 0 || !normalized.endsWith(')')) return { base: normalized.trim().toLowerCase(), args: [] };
  const args = normalized
    .slice(open + 1, -1)
    .split(',')
    .map((part) => Number(part.trim()));
  return { base: normalized.slice(0, open).trim().toLowerCase(), args: args.every(Number.isFinite) ? args : [] };
}

/** Integer types by the largest value they hold. */
const INTEGER_RANK: Readonly<Record<string, number>> = { tinyint: 1, smallint: 2, mediumint: 3, integer: 4, int: 4, bigint: 5 };
const FLOAT_RANK: Readonly<Record<string, number>> = { float: 1, real: 1, double: 2 };
/** MySQL's text family by the bytes it holds. */
const TEXT_FAMILY: Readonly<Record<string, number>> = { tinytext: 255, mediumtext: 16_777_215, longtext: Infinity };
const TEXT_TYPES = new Set(['varchar', 'char', 'text', ...Object.keys(TEXT_FAMILY)]);

/** Characters a text type holds (Infinity: unbounded). */
function textLength(shape: TypeShape, engine: Engine): number | null {
  if (!TEXT_TYPES.has(shape.base)) return null;
  if (shape.base === 'text') return engine === 'mysql' ? 65_535 : Infinity;
  const family = TEXT_FAMILY[shape.base];
  if (family !== undefined) return family;
  return shape.args[0] ?? (shape.base === 'char' ? 1 : Infinity);
}

/** The column's type as the rules compare it: MySQL's native integer and text names say more than the normalised ones. */
export interface ColumnType {
  readonly type: string;
  readonly normalizedType: string;
}

function shapeOf(column: ColumnType, engine: Engine): TypeShape {
  if (engine === 'mysql') {
    const native = typeShape(column.type.toLowerCase().replace(' unsigned', '').replace(' zerofill', ''));
    if (INTEGER_RANK[native.base] !== undefined || TEXT_FAMILY[native.base] !== undefined) return { base: native.base, args: [] };
  }
  return typeShape(column.normalizedType);
}

/** Digits before and after the point a type holds exactly (Infinity: unbounded). */
function exactDigits(shape: TypeShape): { integer: number; scale: number } | null {
  const rank = INTEGER_RANK[shape.base];
  if (rank !== undefined) return { integer: [0, 3, 5, 7, 10, 19][rank]!, scale: 0 };
  if (shape.base !== 'decimal' && shape.base !== 'numeric') return null;
  if (shape.args.length === 0) return { integer: Infinity, scale: Infinity };
  const [precision = Infinity, scale = 0] = shape.args;
  return { integer: precision - scale, scale };
}

/**
 * Why changing a column from `before` to `after` can lose or refuse values, or null when every
 * value of the old type fits the new one (as far as the normalised types tell).
 */
export function narrowing(before: ColumnType, after: ColumnType, engine: Engine): string | null {
  const a = shapeOf(before, engine);
  const b = shapeOf(after, engine);
  const lengthA = textLength(a, engine);
  const lengthB = textLength(b, engine);
  if (lengthA !== null && lengthB !== null) {
    return lengthB < lengthA ? `values longer than ${lengthB} ${b.base.endsWith('text') ? 'bytes' : 'characters'} no longer fit` : null;
  }
  const floatA = FLOAT_RANK[a.base];
  const floatB = FLOAT_RANK[b.base];
  if (floatA !== undefined && floatB !== undefined) return floatB < floatA ? 'double precision values are rounded to single precision' : null;
  const digitsA = exactDigits(a);
  const digitsB = exactDigits(b);
  if (floatA !== undefined && digitsB !== null) return 'fractional and large floating-point values no longer fit';
  if (digitsA !== null && digitsB !== null) {
    if (digitsB.integer < digitsA.integer) {
      return Number.isFinite(digitsB.integer) ? `values with more than ${digitsB.integer} digits before the point no longer fit` : null;
    }
    if (digitsB.scale < digitsA.scale) return digitsB.scale === 0 ? 'fractional digits are rounded away' : `digits after the ${digitsB.scale}th decimal place are rounded away`;
  }
  return null;
}

/**
 * Type changes PostgreSQL makes without rewriting the table or checking a row (binary-coercible
 * since 9.2): a longer varchar, varchar to text, more digits before the point of a numeric with
 * the same scale, an unconstrained numeric.
 */
export function keepsRowsOnPostgres(before: string, after: string): boolean {
  const a = typeShape(before);
  const b = typeShape(after);
  if (a.base === 'varchar' && (b.base === 'text' || (b.base === 'varchar' && (b.args[0] ?? Infinity) >= (a.args[0] ?? Infinity)))) return true;
  if (a.base === 'decimal' && b.base === 'decimal') {
    if (b.args.length === 0) return true;
    return a.args.length > 0 && (b.args[1] ?? 0) === (a.args[1] ?? 0) && b.args[0]! >= a.args[0]!;
  }
  return false;
}

export function rewritesWithoutLoss(engine: Engine, before: string, after: string): boolean {
  return engine === 'postgres' && keepsRowsOnPostgres(before, after);
}

/**
 * The values of a MySQL `enum('a','b')` column type as the catalog renders it (quotes doubled
 * inside values), or null for any other type.
 */
export function mysqlEnumValues(nativeType: string): string[] | null {
  const text = nativeType.trim();
  if (!text.toLowerCase().startsWith('enum(') || !text.endsWith(')')) return null;
  const values: string[] = [];
  const body = text.slice(5, -1);
  let at = 0;
  while (at < body.length) {
    if (body[at] !== "'") {
      at += 1;
      continue;
    }
    let value = '';
    at += 1;
    while (at < body.length) {
      if (body[at] === "'" && body[at + 1] === "'") {
        value += "'";
        at += 2;
      } else if (body[at] === "'") {
        at += 1;
        break;
      } else if (body[at] === '\\' && at + 1 < body.length) {
        value += body[at + 1];
        at += 2;
      } else {
        value += body[at];
        at += 1;
      }
    }
    values.push(value);
  }
  return values;
}

/** Values of `before` that `after` lacks, and whether the values both have keep their order. */
export function compareEnumValues(before: readonly string[], after: readonly string[]): { removed: string[]; reordered: boolean; appendedOnly: boolean } {
  const kept = new Set(after);
  const removed = before.filter((value) => !kept.has(value));
  const common = before.filter((value) => kept.has(value));
  const commonInAfter = after.filter((value) => common.includes(value));
  const reordered = common.some((value, index) => commonInAfter[index] !== value);
  const appendedOnly = removed.length === 0 && before.every((value, index) => after[index] === value);
  return { removed, reordered, appendedOnly };
}
