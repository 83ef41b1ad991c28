import { z } from 'zod';
import { checkFakeMethods, GENERATOR_KEYS, parseGenerator, toLiteral } from './generators.js';
import {
  datasetError,
  DEFAULT_SEED,
  type Dataset,
  type DatasetCell,
  type DatasetFormat,
  type DatasetRow,
  type DatasetTable,
  type SourceLocation,
  type ValueSpec,
} from './model.js';
import { nodeAt, toPlain, type SourceMap, type SourceNode } from './source-tree.js';
import { closest } from './suggest.js';

/**
 * Source tree (from any format) → Dataset. Structure is checked with zod, values cell by
 * cell; every error names the file and line. Nothing here knows the target database: table
 * and column names are checked against it when the dataset is loaded.
 */

const MAX_GENERATED_ROWS = 100_000_000;

const DatasetShape = z.strictObject({
  seed: z.number().int().refine(Number.isSafeInteger, 'must be a whole number').optional(),
  tables: z.record(z.string(), z.unknown()),
});

const TableShape = z.strictObject({
  rows: z.union([z.array(z.unknown()), z.number().int().min(0).max(MAX_GENERATED_ROWS)]).optional(),
  columns: z.record(z.string(), z.unknown()).optional(),
});

const SPECIAL_KEYS = ['$ref', '$json', '$nulls', ...Object.keys(GENERATOR_KEYS)];

export interface CompileOptions {
  readonly source: string;
  readonly format: DatasetFormat;
}

export async function compileDataset(root: SourceNode, options: CompileOptions): Promise<Dataset> {
  const compiler = new Compiler();
  const dataset = compiler.dataset(root, options);
  compiler.checkRefs(dataset);
  await checkFakeMethods(compiler.fakeUses);
  return dataset;
}

class Compiler {
  readonly fakeUses: { method: string; at: SourceLocation }[] = [];
  readonly #refs: { table: string; label: string; at: SourceLocation }[] = [];
  #tableNames: readonly { name: string }[] = [];

  dataset(source: SourceNode, options: CompileOptions): Dataset {
    // Top-level `x-…` keys are ignored: a place to define YAML anchors that rows merge (`<<: *defaults`).
    const root: SourceNode = source.kind === 'map' ? { ...source, entries: source.entries.filter((entry) => !entry.key.startsWith('x-')) } : source;
    validate(DatasetShape, root, 'the dataset', '`seed:` (optional) and `tables:`, a map from table names to rows');
    const tablesNode = nodeAt(root, ['tables']).node as SourceMap;
    const seedNode = (root as SourceMap).entries.find((entry) => entry.key === 'seed')?.value;
    this.#tableNames = tablesNode.entries.map((entry) => ({ name: entry.key }));
    const tables = tablesNode.entries.map((entry) => this.#table(entry.key, entry.keyAt, entry.value));
    if (tables.length === 0) throw datasetError(tablesNode.at, '`tables:` names no table', 'list tables with their rows under `tables:`');
    return {
      source: options.source,
      format: options.format,
      seed: seedNode?.kind === 'scalar' && typeof seedNode.value === 'number' ? seedNode.value : DEFAULT_SEED,
      tables,
    };
  }

  checkRefs(dataset: Dataset): void {
    for (const ref of this.#refs) {
      const table = dataset.tables.find((candidate) => candidate.name === ref.table)!;
      if (table.rows === null || !table.rows.some((row) => row.label === ref.label)) {
        throw datasetError(ref.at, `$ref ${ref.table}.${ref.label}: no row of ${table.name} has \`$label: ${ref.label}\``, labelsHint(table));
      }
    }
  }

  #table(name: string, at: SourceLocation, node: SourceNode): DatasetTable {
    if (name.trim() === '') throw datasetError(at, 'a table name is empty');
    if (node.kind === 'list') {
      const rows = node.items.map((item, index) => this.#row(name, item, index));
      checkLabels(name, rows);
      return { name, at, rows, count: rows.length, columns: [] };
    }
    if (node.kind !== 'map') {
      throw datasetError(at, `${name}: expected a list of rows, or \`rows:\` and \`columns:\``, 'write rows as a list of maps (- id: 1), or `rows: 1000` with `columns:` generators');
    }
    validate(TableShape, node, name, '`rows:` (a list of rows or a number) and `columns:` (values for every row)');
    const rowsNode = node.entries.find((entry) => entry.key === 'rows')?.value;
    const columnsNode = node.entries.find((entry) => entry.key === 'columns')?.value;
    const columns = columnsNode?.kind === 'map' ? columnsNode.entries.map((entry) => this.#cell(name, entry.key, entry.keyAt, entry.value)) : [];
    if (rowsNode === undefined || rowsNode.kind === 'scalar') {
      const count = rowsNode?.kind === 'scalar' && typeof rowsNode.value === 'number' ? rowsNode.value : 0;
      if (rowsNode === undefined) throw datasetError(at, `${name}: \`rows:\` is missing`, 'give a list of rows, or a number of rows to generate');
      if (columns.length === 0) throw datasetError(at, `${name}: ${count} rows to generate, but no \`columns:\` say how`, 'add `columns:` with a value or generator per column, e.g. `id: { $sequence: 1 }`');
      return { name, at, rows: null, count, columns };
    }
    const rows = rowsNode.kind === 'list' ? rowsNode.items.map((item, index) => this.#row(name, item, index)) : [];
    checkLabels(name, rows);
    return { name, at, rows, count: rows.length, columns };
  }

  #row(table: string, node: SourceNode, index: number): DatasetRow {
    if (node.kind !== 'map') {
      throw datasetError(node.at, `${table} row ${index + 1}: expected a map of column: value`, 'write a row as `- id: 1` followed by `  name: Ann` on the next lines, or `- { id: 1, name: Ann }`');
    }
    let label: string | null = null;
    const cells: DatasetCell[] = [];
    for (const entry of node.entries) {
      if (entry.key === '$label') {
        label = labelOf(table, index, entry.value);
        continue;
      }
      if (entry.key.startsWith('$')) throw datasetError(entry.keyAt, `${table} row ${index + 1}: unknown key ${entry.key}`, 'a row may carry `$label:`; other keys name columns');
      cells.push(this.#cell(table, entry.key, entry.keyAt, entry.value));
    }
    return { index, label, cells, at: node.at };
  }

  #cell(table: string, column: string, at: SourceLocation, node: SourceNode): DatasetCell {
    if (column.trim() === '') throw datasetError(at, `${table}: a column name is empty`);
    return { column, at, value: this.#value(node, at) };
  }

  #value(node: SourceNode, keyAt: SourceLocation): ValueSpec {
    const at = node.kind === 'scalar' ? node.at : keyAt;
    if (node.kind !== 'map' || !node.entries.some((entry) => entry.key.startsWith('$'))) return { kind: 'literal', value: toLiteral(node), at };
    const unknown = node.entries.find((entry) => !SPECIAL_KEYS.includes(entry.key));
    if (unknown !== undefined) {
      const near = closest(unknown.key, SPECIAL_KEYS);
      throw datasetError(
        unknown.keyAt,
        `unknown key ${unknown.key}`,
        `${near === null ? '' : `did you mean ${near}? `}generators: ${Object.keys(GENERATOR_KEYS).join(', ')}; also $ref, $json and $nulls (a map without $ keys is a JSON value)`,
      );
    }
    const main = node.entries.filter((entry) => entry.key !== '$nulls');
    const nullsEntry = node.entries.find((entry) => entry.key === '$nulls');
    if (main.length !== 1) {
      throw datasetError(node.at, main.length === 0 ? '$nulls needs a generator beside it' : `one value cannot be ${main.map((entry) => entry.key).join(' and ')} at once`, 'write one of $ref, $json or a generator per value');
    }
    const entry = main[0]!;
    if (nullsEntry !== undefined && (entry.key === '$ref' || entry.key === '$json')) throw datasetError(nullsEntry.keyAt, `$nulls goes with a generator, not ${entry.key}`);
    if (entry.key === '$json') return { kind: 'json', value: toPlain(entry.value), at: entry.keyAt };
    if (entry.key === '$ref') return this.#ref(entry.value, entry.keyAt);
    const generator = parseGenerator(GENERATOR_KEYS[entry.key]!, entry.value, entry.keyAt);
    if (generator.type === 'fake') this.fakeUses.push({ method: generator.method, at: entry.keyAt });
    let nulls = 0;
    if (nullsEntry !== undefined) {
      const value = nullsEntry.value;
      if (value.kind !== 'scalar' || typeof value.value !== 'number' || value.value < 0 || value.value > 1) {
        throw datasetError(nullsEntry.keyAt, '$nulls must be a share between 0 and 1', 'e.g. `$nulls: 0.2` makes about one row in five NULL');
      }
      nulls = value.value;
    }
    return { kind: 'generator', generator, nulls, at: entry.keyAt };
  }

  #ref(node: SourceNode, at: SourceLocation): ValueSpec {
    const text = node.kind === 'scalar' && typeof node.value === 'string' ? node.value : null;
    const parts = text?.split('.') ?? [];
    if (text === null || parts.length < 2 || parts.some((part) => part === '')) {
      throw datasetError(at, '$ref must be TABLE.LABEL or TABLE.LABEL.COLUMN', 'e.g. `user_id: { $ref: users.ann }` takes the key of the users row with `$label: ann`');
    }
    // `billing.invoices.first` is table billing.invoices, label first: the longest table name that prefixes the text wins.
    for (let split = parts.length - 1; split >= 1; split -= 1) {
      const rest = parts.slice(split);
      const table = findTable(this.#tableNames, parts.slice(0, split).join('.'));
      if (table === undefined || rest.length > 2) continue;
      this.#refs.push({ table: table.name, label: rest[0]!, at });
      return { kind: 'ref', table: table.name, label: rest[0]!, column: rest[1] ?? null, at };
    }
    throw datasetError(at, `$ref ${text}: no table of this dataset is named ${parts[0]}`, 'labels belong to rows of this dataset (`$label:`); reference a row outside it by its key value');
  }
}

function validate(schema: z.ZodObject, node: SourceNode, what: string, expected: string): void {
  const result = schema.safeParse(toPlain(node));
  if (result.success) return;
  // A misspelt key also makes the key it stands for missing: name the misspelling.
  const issue = result.error.issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const near = closest(issue.keys[0]!, Object.keys(schema.shape));
    throw datasetError(keyLine(node, issue.keys[0]!, nodeAt(node, issue.path).at), `${what}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`, near === null ? `expected ${expected}` : `did you mean ${near}?`);
  }
  const { at } = nodeAt(node, issue.path);
  const path = issue.path.map(String).join('.');
  const missing = issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(toPlain(node), issue.path) === undefined;
  const message = missing
    ? `${what}: \`${path}:\` is missing`
    : issue.code === 'invalid_type' && issue.path.length === 0
      ? `${what}: expected ${expected}`
      : `${what}${path === '' ? '' : ` ${path}`}: ${issue.message}`;
  throw datasetError(at, message, `expected ${expected}`);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function keyLine(node: SourceNode, key: string, fallback: SourceLocation): SourceLocation {
  return node.kind === 'map' ? (node.entries.find((entry) => entry.key === key)?.keyAt ?? fallback) : fallback;
}

function labelOf(table: string, index: number, node: SourceNode): string {
  const value = node.kind === 'scalar' ? node.value : null;
  const label = typeof value === 'number' ? (node.kind === 'scalar' && node.text !== null ? node.text : String(value)) : value;
  if (typeof label !== 'string' || label === '' || label.includes('.')) {
    throw datasetError(node.at, `${table} row ${index + 1}: $label must be a name without dots`, 'e.g. `$label: ann`, referenced as `{ $ref: users.ann }`');
  }
  return label;
}

function checkLabels(table: string, rows: readonly DatasetRow[]): void {
  const seen = new Map<string, DatasetRow>();
  for (const row of rows) {
    if (row.label === null) continue;
    const first = seen.get(row.label);
    if (first !== undefined) throw datasetError(row.at, `${table}: two rows have \`$label: ${row.label}\` (rows ${first.index + 1} and ${row.index + 1})`, 'labels name one row each');
    seen.set(row.label, row);
  }
}

function labelsHint(table: DatasetTable): string {
  const labels = (table.rows ?? []).flatMap((row) => (row.label === null ? [] : [row.label]));
  return labels.length === 0 ? `no row of ${table.name} has a label; add \`$label: NAME\` to the row` : `labels of ${table.name}: ${labels.slice(0, 10).join(', ')}`;
}

/** The dataset table a name means: exact spelling first, then the only one that matches ignoring case. */
export function findTable<T extends { readonly name: string }>(tables: readonly T[], name: string): T | undefined {
  const exact = tables.find((table) => table.name === name);
  if (exact !== undefined) return exact;
  const folded = tables.filter((table) => table.name.toLowerCase() === name.toLowerCase());
  return folded.length === 1 ? folded[0] : undefined;
}
