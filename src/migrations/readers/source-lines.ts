/** A line of a file with where it starts, for the formats whose markers are whole lines. */
export interface SourceLine {
  /** 1-based. */
  readonly number: number;
  /** Offset of the line's first character. */
  readonly start: number;
  /** Offset just past its newline (or the end of the text). */
  readonly next: number;
  /** The line without its line break. */
  readonly text: string;
}

export function sourceLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = 0;
  let number = 1;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const next = newline < 0 ? text.length : newline + 1;
    lines.push({ number, start, next, text: text.slice(start, end).replace(/\r$/, '') });
    start = next;
    number += 1;
  }
  return lines;
}

/** The words after `--` on a comment line (`-- +goose Up` → ['+goose', 'Up']), or null. */
export function commentWords(line: SourceLine): string[] | null {
  const trimmed = line.text.trimStart();
  if (!trimmed.startsWith('--')) return null;
  return trimmed.slice(2).trim().split(/\s+/).filter((word) => word !== '');
}

/** `0042_name.sql` → version text and name; null when the name does not start with digits. */
export function splitVersionedName(fileName: string, extension: string): { version: string; name: string } | null {
  if (!fileName.endsWith(extension)) return null;
  const stem = fileName.slice(0, -extension.length);
  let end = 0;
  while (end < stem.length && stem[end]! >= '0' && stem[end]! <= '9') end += 1;
  if (end === 0) return null;
  const rest = stem.slice(end);
  return { version: stem.slice(0, end), name: rest.startsWith('_') ? rest.slice(1) : rest };
}
