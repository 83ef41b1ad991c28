import { SchemaguardError } from '../core/errors.js';
import type { TableScan } from '../dialects/dialect.js';
import { captureTable, orderColumns, rowReadError, selectTables } from '../snapshot/data-capture.js';
import { RowFingerprint } from '../snapshot/data-hash.js';
import { rowComparator } from '../snapshot/data-order.js';
import type { OpenSource } from '../snapshot/data-source.js';
import { decodeRow, encodeRow, fromStoredValue, toStoredValue } from '../snapshot/data-values.js';
import { describeSource } from '../snapshot/source.js';
import type { DataColumn, DataValue, TableData, ValueKind } from '../snapshot/model.js';
import { qualifiedName } from '../snapshot/names.js';

/**
 * `diff --data`: compares the rows of two sides table by table. Tables with a primary key on
 * both sides are merge-joined on it — both sides stream in key order (data-order.ts), so
 * memory holds one chunk per side and the examples kept, whatever the table size — and
 * missing (in a only), extra (in b only) and changed rows are reported by key: the first
 * `maxRows` of each, and their counts. Tables without a key, with different columns, or whose
 * rows a snapshot file did not store are compared by row count and fingerprint, and say so.
 * The JSON renderer writes these objects as they are (docs/diff-format.md#data).
 */

export interface DataDiffOptions {
  /** Globs over qualified table names; empty: every table. */
  readonly tables: readonly string[];
  /** How many missing, extra and changed rows to list per table (the rest are counted). */
  readonly maxRows: number;
}

export const DEFAULT_MAX_ROW_CHANGES = 20;

export type Row = Readonly<Record<string, DataValue>>;

export interface RowSample {
  readonly key: Row;
  readonly row: Row;
}

export interface ChangedRow {
  readonly key: Row;
  /** The columns whose values differ, with the value on each side. */
  readonly columns: readonly { readonly column: string; readonly a: DataValue; readonly b: DataValue }[];
}

export interface RowDifferences<T> {
  readonly count: number;
  /** The first rows in key order, up to the limit. */
  readonly rows: readonly T[];
}

export type TableDataStatus = 'equal' | 'different' | 'only in a' | 'only in b';

export interface TableDataDiff {
  /** The table's display name: `public.film`, `film` on MySQL/SQLite. */
  readonly name: string;
  readonly schema: string;
  readonly table: string;
  readonly status: TableDataStatus;
  /** `rows`: compared row by row on the key; `fingerprint`: by row count and fingerprint only (see `note`). */
  readonly comparedBy: 'rows' | 'fingerprint';
  /** Why the rows were not compared one by one, when they were not. */
  readonly note: string | null;
  readonly keyColumns: readonly string[];
  readonly rowCount: { readonly a: number | null; readonly b: number | null };
  readonly fingerprint: { readonly a: string | null; readonly b: string | null };
  /** Rows of a with no row of that key in b. Null when rows were not compared. */
  readonly missing: RowDifferences<RowSample> | null;
  /** Rows of b with no row of that key in a. */
  readonly extra: RowDifferences<RowSample> | null;
  /** Keys present on both sides whose other values differ. */
  readonly changed: RowDifferences<ChangedRow> | null;
}

export interface DataDiffResult {
  readonly tables: readonly TableDataDiff[];
  readonly equal: boolean;
  /** Table patterns that matched no table on either side. */
  readonly unmatchedPatterns: readonly string[];
}

/** One side's view of a table: its stored data (a snapshot file) or a live scan. */
interface SideTable {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly DataColumn[];
  readonly keyColumns: readonly string[];
  readonly stored: TableData | null;
  readonly scan: TableScan | null;
}

function sideTables(side: OpenSource, patterns: readonly string[]): { tables: Map<string, SideTable>; unmatched: string[] } {
  const tables = new Map<string, SideTable>();
  const { snapshot, read } = side;
  if (read === null) {
    if (snapshot.data === undefined) {
      throw new SchemaguardError(`${describeSource(side.source)} holds no data: it was written without --data`, {
        hint: 'write it with `schemaguard snapshot SOURCE --data -o FILE`, or compare against the database itself',
      });
    }
    const selected = selectTables(
      snapshot.data.map((data) => ({ schema: data.schema, name: data.table, data })),
      snapshot.engine,
      patterns,
    );
    for (const { data } of selected.tables) {
      tables.set(`${data.schema}\u0000${data.table}`, { schema: data.schema, table: data.table, columns: data.columns, keyColumns: data.keyColumns, stored: data, scan: null });
    }
    return { tables, unmatched: selected.unmatched };
  }
  const selected = selectTables(snapshot.tables, snapshot.engine, patterns);
  for (const table of selected.tables) {
    const scan = read.scanTable(table, snapshot);
    if (scan === null) continue;
    tables.set(`${table.schema}\u0000${table.name}`, {
      schema: table.schema,
      table: table.name,
      columns: table.columns.map((c, i) => ({ name: c.name, kind: scan.kinds[i] ?? 'other' })),
      keyColumns: table.primaryKey?.columns ?? [],
      stored: null,
      scan,
    });
  }
  return { tables, unmatched: selected.unmatched };
}

/** Compares the data of two opened sides. */
export async function diffData(a: OpenSource, b: OpenSource, options: DataDiffOptions): Promise<DataDiffResult> {
  const left = sideTables(a, options.tables);
  const right = sideTables(b, options.tables);
  const ids = [...new Set([...left.tables.keys(), ...right.tables.keys()])].sort();
  const results: TableDataDiff[] = [];
  for (const id of ids) {
    const x = left.tables.get(id);
    const y = right.tables.get(id);
    const any = (x ?? y)!;
    const name = qualifiedName(a.snapshot.engine, any.schema, any.table);
    results.push(await diffTable(name, x ?? null, y ?? null, [describeSource(a.source), describeSource(b.source)], options.maxRows));
  }
  return {
    tables: results,
    equal: results.every((t) => t.status === 'equal'),
    unmatchedPatterns: options.tables.length === 0 ? [] : left.unmatched.filter((p) => right.unmatched.includes(p)),
  };
}

async function summary(side: SideTable): Promise<{ rowCount: number; fingerprint: string }> {
  if (side.stored !== null) return { rowCount: side.stored.rowCount, fingerprint: side.stored.fingerprint };
  const data = await captureTable({ schema: side.schema, name: side.table, columns: [], primaryKey: null } as never, side.scan!, 0);
  return { rowCount: data.rowCount, fingerprint: data.fingerprint };
}

const sameNames = (x: readonly { name: string }[] | readonly string[], y: readonly { name: string }[] | readonly string[]): boolean =>
  x.length === y.length && x.every((item, i) => (typeof item === 'string' ? item : item.name) === (typeof y[i] === 'string' ? y[i] : (y[i] as { name: string }).name));

async function diffTable(name: string, a: SideTable | null, b: SideTable | null, sources: readonly [string, string], maxRows: number): Promise<TableDataDiff> {
  const base = { name, schema: (a ?? b)!.schema, table: (a ?? b)!.table, keyColumns: [...(a ?? b)!.keyColumns] };
  if (a === null || b === null) {
    const present = await summary((a ?? b)!);
    return {
      ...base,
      status: a === null ? 'only in b' : 'only in a',
      comparedBy: 'fingerprint',
      note: null,
      rowCount: { a: a === null ? null : present.rowCount, b: b === null ? null : present.rowCount },
      fingerprint: { a: a === null ? null : present.fingerprint, b: b === null ? null : present.fingerprint },
      missing: null,
      extra: null,
      changed: null,
    };
  }
  const notStored = [a, b].map((side, i) => (side.stored !== null && side.stored.rows === null ? sources[i] : null)).filter((s) => s !== null);
  let note: string | null = null;
  if (!sameNames(a.columns, b.columns)) {
    note = `columns differ (${a.columns.map((c) => c.name).join(', ')} / ${b.columns.map((c) => c.name).join(', ')}): compared by row count and fingerprint`;
  } else if (a.keyColumns.length === 0 || !sameNames(a.keyColumns, b.keyColumns)) {
    note = a.keyColumns.length === 0 ? 'no primary key: compared by row count and fingerprint' : 'primary keys differ: compared by row count and fingerprint';
  } else if (notStored.length > 0) {
    note = `rows not stored in ${notStored.join(' and ')} (more than its rows limit): compared by row count and fingerprint only`;
  }
  if (note !== null) {
    const [x, y] = [await summary(a), await summary(b)];
    return {
      ...base,
      status: x.rowCount === y.rowCount && x.fingerprint === y.fingerprint ? 'equal' : 'different',
      comparedBy: 'fingerprint',
      note,
      rowCount: { a: x.rowCount, b: y.rowCount },
      fingerprint: { a: x.fingerprint, b: y.fingerprint },
      missing: null,
      extra: null,
      changed: null,
    };
  }
  try {
    return await mergeJoin(base, a, b, sources, maxRows);
  } catch (error) {
    throw rowReadError(name, error);
  }
}

interface Cursor {
  /** The current row's canonical texts, or null past the end. */
  values: (string | null)[] | null;
  line: string;
  next(): Promise<void>;
  readonly rowCount: number;
  fingerprint(): string;
}

function storedCursor(data: TableData): Cursor {
  const rows = data.rows ?? [];
  let index = -1;
  const cursor: Cursor = {
    values: null,
    line: '',
    rowCount: data.rowCount,
    fingerprint: () => data.fingerprint,
    next: async () => {
      index += 1;
      const row = rows[index];
      cursor.values = row === undefined ? null : row.map(fromStoredValue);
      cursor.line = cursor.values === null ? '' : encodeRow(cursor.values);
    },
  };
  return cursor;
}

function liveCursor(scan: TableScan): Cursor {
  const chunks = scan.rows('key')[Symbol.asyncIterator]();
  const fingerprint = new RowFingerprint();
  let chunk: Buffer | null = null;
  let offset = 0;
  let finished = false;
  const cursor: Cursor = {
    values: null,
    line: '',
    get rowCount() {
      return fingerprint.rowCount;
    },
    fingerprint: () => fingerprint.digest(),
    next: async () => {
      for (;;) {
        if (chunk !== null) {
          const end = chunk.indexOf(0x0a, offset);
          if (end >= 0) {
            fingerprint.addBytes(chunk, offset, end);
            cursor.line = chunk.toString('utf8', offset, end);
            cursor.values = decodeRow(cursor.line);
            offset = end + 1;
            return;
          }
        }
        if (finished) {
          cursor.values = null;
          return;
        }
        const step = await chunks.next();
        if (step.done === true) {
          finished = true;
          chunk = null;
        } else {
          chunk = step.value;
          offset = 0;
        }
      }
    },
  };
  return cursor;
}

function toRecord(columns: readonly DataColumn[], indexes: readonly number[], values: readonly (string | null)[]): Row {
  const record: Record<string, DataValue> = {};
  for (const index of indexes) record[columns[index]!.name] = toStoredValue(values[index] ?? null, columns[index]!.kind);
  return record;
}

async function mergeJoin(
  base: Pick<TableDataDiff, 'name' | 'schema' | 'table' | 'keyColumns'>,
  a: SideTable,
  b: SideTable,
  sources: readonly [string, string],
  maxRows: number,
): Promise<TableDataDiff> {
  const columns = a.columns;
  const kinds: ValueKind[] = columns.map((c) => c.kind);
  const keyIndexes = orderColumns(
    columns.map((c) => c.name),
    a.keyColumns,
  );
  const allIndexes = columns.map((_, i) => i);
  const compare = rowComparator(kinds, keyIndexes);
  const x = a.stored !== null ? storedCursor(a.stored) : liveCursor(a.scan!);
  const y = b.stored !== null ? storedCursor(b.stored) : liveCursor(b.scan!);
  const missing: RowSample[] = [];
  const extra: RowSample[] = [];
  const changed: ChangedRow[] = [];
  let missingCount = 0;
  let extraCount = 0;
  let changedCount = 0;
  const advance = async (cursor: Cursor, side: number) => {
    const previous = cursor.values;
    await cursor.next();
    if (previous !== null && cursor.values !== null && compare(previous, cursor.values) >= 0) {
      throw new SchemaguardError(`cannot compare the rows of ${base.name} by key: ${sources[side]} does not return them in key order`, {
        hint: `the key's values sort differently there than schemaguard sorts them (mixed value types in a SQLite key?); compare with --ignore ${base.name} or by fingerprint`,
      });
    }
  };
  await advance(x, 0);
  await advance(y, 1);
  while (x.values !== null || y.values !== null) {
    const order = x.values === null ? 1 : y.values === null ? -1 : compare(x.values, y.values);
    if (order < 0) {
      missingCount += 1;
      if (missing.length < maxRows) missing.push({ key: toRecord(columns, keyIndexes, x.values!), row: toRecord(columns, allIndexes, x.values!) });
      await advance(x, 0);
    } else if (order > 0) {
      extraCount += 1;
      if (extra.length < maxRows) extra.push({ key: toRecord(columns, keyIndexes, y.values!), row: toRecord(columns, allIndexes, y.values!) });
      await advance(y, 1);
    } else {
      if (x.line !== y.line) {
        changedCount += 1;
        if (changed.length < maxRows) {
          const before = x.values!;
          const after = y.values!;
          changed.push({
            key: toRecord(columns, keyIndexes, before),
            columns: allIndexes
              .filter((i) => before[i] !== after[i])
              .map((i) => ({ column: columns[i]!.name, a: toStoredValue(before[i] ?? null, kinds[i]!), b: toStoredValue(after[i] ?? null, kinds[i]!) })),
          });
        }
      }
      await advance(x, 0);
      await advance(y, 1);
    }
  }
  const different = missingCount + extraCount + changedCount > 0;
  return {
    ...base,
    status: different ? 'different' : 'equal',
    comparedBy: 'rows',
    note: null,
    rowCount: { a: x.rowCount, b: y.rowCount },
    fingerprint: { a: x.fingerprint(), b: y.fingerprint() },
    missing: { count: missingCount, rows: missing },
    extra: { count: extraCount, rows: extra },
    changed: { count: changedCount, rows: changed },
  };
}
