import { SchemaguardError } from '../core/errors.js';

/**
 * A dataset: rows per table, as a person wrote them (YAML, JSON, CSV) or as generators
 * describe them. This is the parsed form: every format reads into it, every node knows the
 * file and line it came from, and nothing here knows the target database yet.
 */

export type DatasetFormat = 'yaml' | 'json' | 'csv';

/** Where something was written: `datasets/shop.yaml:14`, `datasets/shop/users.csv:3`. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based; null when only the file is known. */
  readonly line: number | null;
}

export function formatLocation(at: SourceLocation): string {
  return at.line === null ? at.file : `${at.file}:${at.line}`;
}

/** An error a dataset author can fix: `file:line: message — hint`. */
export function datasetError(at: SourceLocation, message: string, hint?: string, cause?: unknown): SchemaguardError {
  return new SchemaguardError(`${formatLocation(at)}: ${message}`, {
    hint: hint ?? 'see docs/datasets.md for the dataset format',
    cause,
  });
}

/**
 * A number as written. YAML and JSON numbers go through a double, which cannot hold
 * `9007199254740993` or `12345678901234567890.12`, and drops the leading zero of `01234`;
 * the source text can, so integer, decimal and text columns convert from it.
 */
export class NumberText {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}

  toString(): string {
    return this.text;
  }
}

/** A value that goes into a JSON column as JSON even when it is a string (`$json: hello` → `"hello"`). */
export class JsonValue {
  constructor(readonly value: unknown) {}
}

/** A literal: scalars, and lists and maps (for JSON and array columns). */
export type Literal = null | boolean | string | NumberText | readonly Literal[] | { readonly [key: string]: Literal };

export type GeneratorSpec =
  | { readonly type: 'sequence'; readonly start: number; readonly step: number; readonly format: string | null }
  | { readonly type: 'number'; readonly min: number; readonly max: number; readonly decimals: number }
  | { readonly type: 'date'; readonly fromDay: number; readonly toDay: number }
  | { readonly type: 'timestamp'; readonly fromMs: number; readonly toMs: number }
  | { readonly type: 'pick'; readonly table: string; readonly column: string | null }
  | { readonly type: 'oneOf'; readonly values: readonly Literal[]; readonly weights: readonly number[] | null }
  | { readonly type: 'fake'; readonly method: string; readonly args: readonly unknown[] };

export type GeneratorType = GeneratorSpec['type'];

/** What a cell (or a column of every row) holds. */
export type ValueSpec =
  | { readonly kind: 'literal'; readonly value: Literal; readonly at: SourceLocation }
  | { readonly kind: 'json'; readonly value: unknown; readonly at: SourceLocation }
  /** The `column` value of the row labelled `label` in `table` (default: what this column's foreign key references, else the primary key). */
  | { readonly kind: 'ref'; readonly table: string; readonly label: string; readonly column: string | null; readonly at: SourceLocation }
  /** `nulls`: the share of rows (0–1) that get NULL instead. */
  | { readonly kind: 'generator'; readonly generator: GeneratorSpec; readonly nulls: number; readonly at: SourceLocation };

export interface DatasetCell {
  /** The column as written in the dataset. */
  readonly column: string;
  readonly value: ValueSpec;
  readonly at: SourceLocation;
}

export interface DatasetRow {
  /** 0-based position in its table. */
  readonly index: number;
  /** The name other rows reference it by (`$label: ann` → `users.ann`). */
  readonly label: string | null;
  readonly cells: readonly DatasetCell[];
  readonly at: SourceLocation;
}

export interface DatasetTable {
  /** As written: `users`, or schema-qualified `billing.invoices` (PostgreSQL). */
  readonly name: string;
  readonly at: SourceLocation;
  /** Rows written out, or `null` for a generated table. */
  readonly rows: readonly DatasetRow[] | null;
  /** How many rows the table gets: `rows.length`, or the `rows: N` of a generated table. */
  readonly count: number;
  /** Values every row gets unless the row says otherwise (`columns:`); the only values of a generated table. */
  readonly columns: readonly DatasetCell[];
}

export interface Dataset {
  /** The file or folder it was read from, as printed in errors. */
  readonly source: string;
  readonly format: DatasetFormat;
  /** Seeds every generator: the same seed gives the same rows. */
  readonly seed: number;
  readonly tables: readonly DatasetTable[];
}

/** The seed of a dataset that names none: runs are repeatable by default. */
export const DEFAULT_SEED = 1;
