import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { SchemaguardError, messageOf } from '../core/errors.js';
import { compileDataset } from './compile-dataset.js';
import type { Dataset, DatasetFormat, SourceLocation } from './model.js';
import { csvTableRows } from './read-csv.js';
import { readYamlTree } from './read-yaml.js';
import type { SourceEntry, SourceNode } from './source-tree.js';

/**
 * Reads a dataset from disk:
 * - `NAME.yaml` / `.yml` / `.json`: `seed:` and `tables:`, rows as maps, references, generators;
 * - `TABLE.csv`: the rows of one table, named after the file;
 * - a folder of `TABLE.csv` files: one table each.
 */
export async function readDataset(path: string, cwd: string = process.cwd()): Promise<Dataset> {
  const absolute = resolve(cwd, path);
  const shown = displayPath(absolute, cwd);
  const info = await stat(absolute).catch(() => null);
  if (info === null) throw new SchemaguardError(`dataset not found: ${shown}`, { hint: 'give a .yaml, .json or .csv file, or a folder of .csv files' });
  if (info.isDirectory()) return readCsvFolder(absolute, cwd);
  const format = formatOf(absolute);
  if (format === null) {
    throw new SchemaguardError(`${shown}: not a dataset file (expected .yaml, .yml, .json or .csv)`, { hint: 'see docs/datasets.md for the formats' });
  }
  const text = await readText(absolute, shown);
  if (format === 'csv') return csvDataset([{ table: basename(absolute, extname(absolute)), text, file: shown }], shown);
  return parseDataset(text, { file: shown, format });
}

/** Parses dataset text (YAML or JSON); `file` is what errors call it. */
export async function parseDataset(text: string, options: { file: string; format: 'yaml' | 'json' }): Promise<Dataset> {
  const tree = readYamlTree(text, options.file, options.format);
  return compileDataset(tree, { source: options.file, format: options.format });
}

/** Parses one table's CSV text; `file` is what errors call it. */
export async function parseCsvDataset(table: string, text: string, file: string): Promise<Dataset> {
  return csvDataset([{ table, text, file }], file);
}

async function readCsvFolder(folder: string, cwd: string): Promise<Dataset> {
  const shown = displayPath(folder, cwd);
  const names = (await readdir(folder)).filter((name) => extname(name).toLowerCase() === '.csv').sort();
  if (names.length === 0) throw new SchemaguardError(`${shown}: the folder holds no .csv files`, { hint: 'a dataset folder holds one TABLE.csv per table; or give a .yaml or .json file' });
  const files = await Promise.all(
    names.map(async (name) => {
      const path = join(folder, name);
      return { table: basename(name, extname(name)), file: displayPath(path, cwd), text: await readText(path, displayPath(path, cwd)) };
    }),
  );
  return csvDataset(files, shown);
}

async function csvDataset(files: readonly { table: string; text: string; file: string }[], source: string): Promise<Dataset> {
  const tables: SourceEntry[] = files.map(({ table, text, file }) => {
    const { rows, headerAt } = csvTableRows(text, file);
    return { key: table, keyAt: headerAt, value: rows };
  });
  const at: SourceLocation = { file: source, line: null };
  const root: SourceNode = { kind: 'map', at, entries: [{ key: 'tables', keyAt: at, value: { kind: 'map', at, entries: tables } }] };
  return compileDataset(root, { source, format: 'csv' });
}

function formatOf(path: string): DatasetFormat | null {
  switch (extname(path).toLowerCase()) {
    case '.yaml':
    case '.yml':
      return 'yaml';
    case '.json':
      return 'json';
    case '.csv':
      return 'csv';
    default:
      return null;
  }
}

async function readText(path: string, shown: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new SchemaguardError(`cannot read ${shown}: ${messageOf(error)}`, { hint: 'check the path and its permissions' });
  }
}

/** Relative to the working directory when inside it, as a person would type it. */
function displayPath(path: string, cwd: string): string {
  const fromCwd = relative(cwd, path);
  return fromCwd !== '' && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : path;
}
