import { datasetError, type SourceLocation } from './model.js';
import type { SourceEntry, SourceList, SourceMap } from './source-tree.js';

/**
 * CSV (RFC 4180): a header row naming the columns, then one row per line. Quoted fields may
 * hold commas, quotes (doubled) and line breaks. An empty unquoted field is NULL and `""` is
 * the empty string, as in PostgreSQL's COPY … CSV. Blank lines are skipped.
 */

interface CsvField {
  readonly value: string;
  readonly quoted: boolean;
}

interface CsvRecord {
  readonly fields: readonly CsvField[];
  /** Line the record starts on (a quoted field may span several). */
  readonly line: number;
}

export function parseCsv(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let fields: CsvField[] = [];
  let line = 1;
  let recordLine = 1;
  let position = 0;
  const endRecord = () => {
    const blank = fields.length === 1 && !fields[0]!.quoted && fields[0]!.value === '';
    if (!blank) records.push({ fields, line: recordLine });
    fields = [];
  };
  while (position < input.length) {
    if (fields.length === 0) recordLine = line;
    let value = '';
    let quoted = false;
    if (input[position] === '"') {
      quoted = true;
      const startLine = line;
      position += 1;
      for (;;) {
        if (position >= input.length) throw datasetError({ file, line: startLine }, 'a quoted field is not closed (a " is missing)', 'close the quote; a " inside a quoted field is written ""');
        const char = input[position]!;
        if (char === '"') {
          if (input[position + 1] === '"') {
            value += '"';
            position += 2;
            continue;
          }
          position += 1;
          break;
        }
        if (char === '\n' || (char === '\r' && input[position + 1] !== '\n')) line += 1;
        value += char;
        position += 1;
      }
      const next = input[position];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw datasetError({ file, line }, `unexpected ${JSON.stringify(next)} after a closing quote`, 'quote the whole field, and write a " inside it as ""');
      }
    } else {
      const start = position;
      while (position < input.length && input[position] !== ',' && input[position] !== '\n' && input[position] !== '\r') position += 1;
      value = input.slice(start, position);
      if (value.includes('"')) throw datasetError({ file, line }, 'a " inside an unquoted field', 'quote the whole field, and write a " inside it as ""');
    }
    fields.push({ value, quoted });
    const separator = input[position];
    if (separator === ',') {
      position += 1;
      if (position === input.length) {
        fields.push({ value: '', quoted: false });
        endRecord();
      }
      continue;
    }
    if (separator === '\r') position += input[position + 1] === '\n' ? 2 : 1;
    else if (separator === '\n') position += 1;
    line += 1;
    endRecord();
  }
  return records;
}

/** One CSV file → the rows of one table, as a source tree list. */
export function csvTableRows(text: string, file: string): { rows: SourceList; headerAt: SourceLocation } {
  const records = parseCsv(text, file);
  const header = records[0];
  if (header === undefined) throw datasetError({ file, line: null }, 'the CSV file is empty', 'the first line names the columns: id,name,email');
  const headerAt = { file, line: header.line };
  const columns = header.fields.map((field) => field.value.trim());
  const seen = new Set<string>();
  for (const [index, column] of columns.entries()) {
    if (column === '') throw datasetError(headerAt, `column ${index + 1} of the header has no name`, 'the first line names the columns: id,name,email');
    if (seen.has(column)) throw datasetError(headerAt, `the header names column "${column}" twice`);
    seen.add(column);
  }
  const rows: SourceMap[] = records.slice(1).map((record, index) => {
    const at = { file, line: record.line };
    if (record.fields.length !== columns.length) {
      throw datasetError(
        at,
        `row ${index + 1} has ${record.fields.length} value${record.fields.length === 1 ? '' : 's'}, the header names ${columns.length} column${columns.length === 1 ? '' : 's'}`,
        'every row needs one value per header column (an empty field is NULL, "" is an empty string; quote values that contain commas)',
      );
    }
    const entries: SourceEntry[] = record.fields.map((field, column) => ({
      key: columns[column]!,
      keyAt: at,
      value: { kind: 'scalar', value: field.value === '' && !field.quoted ? null : field.value, text: null, at },
    }));
    return { kind: 'map', entries, at };
  });
  return { rows: { kind: 'list', items: rows, at: headerAt }, headerAt };
}
