import { errorAt } from '../migration-errors.js';
import { pairByVersion } from '../pair-by-version.js';
import type { ReadContext, SqlSection, SqlSource } from '../read-context.js';
import { parseNumericVersion } from '../version.js';
import type { FolderEntry, MigrationDraft, MigrationReader } from './reader.js';
import { commentWords, sourceLines, splitVersionedName, type SourceLine } from './source-lines.js';

/**
 * goose: `<version>_<name>.sql` with `-- +goose Up` and (optionally) `-- +goose Down`
 * sections. `-- +goose StatementBegin` … `-- +goose StatementEnd` hold one statement that is
 * never split (PL/pgSQL bodies, MySQL procedures); `-- +goose NO TRANSACTION` runs the file
 * outside a transaction. Go migrations (`.go`) and `-- +goose ENVSUB ON` are not supported
 * and reported in the notes.
 */

interface Sections {
  up: SqlSection[];
  down: SqlSection[] | null;
  transactional: boolean;
}

const HINT = "goose files start with '-- +goose Up'; '-- +goose Down' and StatementBegin/StatementEnd pairs follow it";

function annotationOf(line: SourceLine): string | null {
  const words = commentWords(line);
  if (words === null || words[0]?.toLowerCase() !== '+goose') return null;
  return words.slice(1).join(' ').toLowerCase();
}

function parseGooseFile(context: ReadContext, source: SqlSource): Sections {
  const text = source.text;
  const lines = sourceLines(text);
  let direction: 'start' | 'up' | 'down' = 'start';
  let block: { from: number; firstLine: number; line: number } | null = null;
  let regionFrom = 0;
  let regionLine = 1;
  const sections: Sections = { up: [], down: null, transactional: true };
  const current = (): SqlSection[] => (direction === 'down' ? (sections.down ??= []) : sections.up);
  const flush = (to: number): void => {
    if (direction !== 'start' && to > regionFrom) current().push({ text: text.slice(regionFrom, to), firstLine: regionLine });
  };
  const resumeAfter = (line: SourceLine): void => {
    regionFrom = line.next;
    regionLine = line.number + 1;
  };
  const fail = (line: SourceLine, message: string) => errorAt(source.file, line.number, message, HINT);

  for (const line of lines) {
    const annotation = annotationOf(line);
    if (annotation === null) {
      if (direction === 'start' && line.text.trim() !== '' && commentWords(line) === null) throw fail(line, "SQL before '-- +goose Up' belongs to no direction");
      continue;
    }
    switch (annotation) {
      case 'up':
        if (direction !== 'start') throw fail(line, "a second '-- +goose Up'");
        direction = 'up';
        resumeAfter(line);
        break;
      case 'down':
        if (direction === 'start') throw fail(line, "'-- +goose Down' before '-- +goose Up'");
        if (direction === 'down') throw fail(line, "a second '-- +goose Down'");
        if (block !== null) throw fail(line, "'-- +goose Down' inside a StatementBegin … StatementEnd block");
        flush(line.start);
        direction = 'down';
        sections.down ??= [];
        resumeAfter(line);
        break;
      case 'statementbegin':
        if (direction === 'start') throw fail(line, "'-- +goose StatementBegin' before '-- +goose Up'");
        if (block !== null) throw fail(line, `'-- +goose StatementBegin' inside the block opened on line ${block.line}`);
        flush(line.start);
        block = { from: line.next, firstLine: line.number + 1, line: line.number };
        break;
      case 'statementend':
        if (block === null) throw fail(line, "'-- +goose StatementEnd' without a StatementBegin");
        current().push({ text: text.slice(block.from, line.start), firstLine: block.firstLine, whole: true });
        block = null;
        resumeAfter(line);
        break;
      case 'no transaction':
        sections.transactional = false;
        break;
      default:
        context.note(source.file, line.number, `goose annotation not supported, read as a comment: ${line.text.trim()}`);
    }
  }
  if (direction === 'start') throw errorAt(source.file, null, "has no '-- +goose Up' line", HINT);
  if (block !== null) throw errorAt(source.file, block.line, "'-- +goose StatementBegin' is never closed by StatementEnd", HINT);
  flush(text.length);
  return sections;
}

export const readGoose: MigrationReader = async (context: ReadContext, entries: readonly FolderEntry[]) => {
  const files = [];
  for (const entry of entries) {
    if (entry.directory) continue;
    if (entry.name.endsWith('.go') && splitVersionedName(entry.name, '.go') !== null) {
      context.note(context.file(entry.name), null, 'Go migrations are not supported: left out');
      continue;
    }
    const parsed = splitVersionedName(entry.name, '.sql');
    const version = parsed === null ? null : parseNumericVersion(parsed.version);
    if (parsed === null || version === null) {
      if (entry.name.endsWith('.sql')) context.note(context.file(entry.name), null, 'not a goose migration file name (<version>_<name>.sql): left out');
      continue;
    }
    files.push({ version, name: parsed.name, direction: 'up' as const, file: context.file(entry.name), payload: null });
  }
  const drafts: MigrationDraft[] = [];
  for (const { version, up } of pairByVersion(files)) {
    const source = await context.readSql(up!.file);
    const sections = parseGooseFile(context, source);
    drafts.push({
      version,
      name: up!.name,
      up: context.script(source, sections.transactional, sections.up),
      down: sections.down === null ? null : context.script(source, sections.transactional, sections.down),
    });
  }
  return drafts;
};
