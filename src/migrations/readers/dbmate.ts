import { errorAt } from '../migration-errors.js';
import { pairByVersion } from '../pair-by-version.js';
import type { ReadContext, SqlSource } from '../read-context.js';
import type { MigrationScript } from '../migration.js';
import { parseNumericVersion } from '../version.js';
import type { FolderEntry, MigrationDraft, MigrationReader } from './reader.js';
import { commentWords, sourceLines, splitVersionedName, type SourceLine } from './source-lines.js';

/**
 * dbmate: `<version>_<name>.sql` with both directions in one file, after the lines
 * `-- migrate:up` and `-- migrate:down`. Options follow the marker: `transaction:false` runs
 * that direction outside a transaction. Nothing but comments may come before `-- migrate:up`.
 * A file without `-- migrate:down` (dbmate itself refuses it) is read with no down.
 */

interface Marker {
  readonly line: SourceLine;
  readonly transactional: boolean;
}

function findMarker(lines: readonly SourceLine[], directive: string): Marker | null {
  for (const line of lines) {
    const words = commentWords(line);
    if (words === null || words[0] !== directive) continue;
    const options = new Map(words.slice(1).map((word) => [word.slice(0, word.indexOf(':')), word.slice(word.indexOf(':') + 1)] as const));
    return { line, transactional: options.get('transaction') !== 'false' };
  }
  return null;
}

function section(source: SqlSource, from: SourceLine, to: SourceLine | null): { text: string; firstLine: number } {
  return { text: source.text.slice(from.next, to === null ? source.text.length : to.start), firstLine: from.number + 1 };
}

export const readDbmate: MigrationReader = async (context: ReadContext, entries: readonly FolderEntry[]) => {
  const files = [];
  for (const entry of entries) {
    if (entry.directory) continue;
    const parsed = splitVersionedName(entry.name, '.sql');
    const version = parsed === null ? null : parseNumericVersion(parsed.version);
    if (parsed === null || version === null) {
      if (entry.name.endsWith('.sql')) context.note(context.file(entry.name), null, 'not a dbmate migration file name (<version>_<name>.sql): left out');
      continue;
    }
    files.push({ version, name: parsed.name, direction: 'up' as const, file: context.file(entry.name), payload: null });
  }
  const drafts: MigrationDraft[] = [];
  for (const { version, up } of pairByVersion(files)) {
    const source = await context.readSql(up!.file);
    const lines = sourceLines(source.text);
    const upMarker = findMarker(lines, 'migrate:up');
    const downMarker = findMarker(lines, 'migrate:down');
    if (upMarker === null) {
      throw errorAt(source.file, null, "has no '-- migrate:up' line", "dbmate migrations put the up SQL after '-- migrate:up' and the down SQL after '-- migrate:down'");
    }
    if (downMarker !== null && downMarker.line.number < upMarker.line.number) {
      throw errorAt(source.file, downMarker.line.number, "'-- migrate:down' comes before '-- migrate:up'", 'put the up section first');
    }
    const stray = lines.find((line) => line.number < upMarker.line.number && line.text.trim() !== '' && commentWords(line) === null);
    if (stray !== undefined) {
      throw errorAt(source.file, stray.number, "SQL before '-- migrate:up' belongs to no direction", "move it below '-- migrate:up'");
    }
    const upScript: MigrationScript = context.script(source, upMarker.transactional, [section(source, upMarker.line, downMarker?.line ?? null)]);
    const downScript: MigrationScript | null =
      downMarker === null ? null : context.script(source, downMarker.transactional, [section(source, downMarker.line, null)]);
    drafts.push({ version, name: up!.name, up: upScript, down: downScript });
  }
  return drafts;
};
