import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../core/errors.js';
import type { Engine } from '../dialects/engine.js';
import { errorAt } from './migration-errors.js';
import type { MigrationFile, MigrationNote, SqlMigrationScript, SqlStatement } from './migration.js';
import { splitStatements, SqlSplitError, wholeStatement } from './split-statements.js';
import { expandTemplate, findPlaceholder, TemplateError } from './template-variables.js';

/** A SQL file read (and its template placeholders substituted). */
export interface SqlSource {
  readonly file: MigrationFile;
  /** The text after substitution; line numbers below are lines of this text. */
  readonly text: string;
  /** The file's own line for a line of `text`. */
  originalLine(line: number): number;
}

/** A part of a SQL source that is one script or one statement. */
export interface SqlSection {
  readonly text: string;
  /** Line of `text`'s first character in the source's (substituted) text. */
  readonly firstLine: number;
  /** True for goose's StatementBegin … StatementEnd: one statement, never split. */
  readonly whole?: boolean;
}

/** What every reader needs: where the folder is, the target dialect, and where notes go. */
export class ReadContext {
  readonly folder: string;
  readonly absoluteFolder: string;
  readonly dialect: Engine;
  readonly #variables: Readonly<Record<string, string>> | null;
  readonly notes: MigrationNote[] = [];

  constructor(folder: string, absoluteFolder: string, dialect: Engine, variables: Readonly<Record<string, string>> | null) {
    this.folder = folder;
    this.absoluteFolder = absoluteFolder;
    this.dialect = dialect;
    // No variables, no templating: `{{` is ordinary text in most SQL (array literals, JSON).
    this.#variables = variables === null || Object.keys(variables).length === 0 ? null : variables;
  }

  /** A file of the folder by its path relative to the folder. */
  file(relativePath: string): MigrationFile {
    return { path: join(this.absoluteFolder, relativePath), display: join(this.folder, relativePath) };
  }

  note(file: MigrationFile, line: number | null, message: string): void {
    this.notes.push({ file, line, message });
  }

  async readText(file: MigrationFile): Promise<string> {
    try {
      const text = await readFile(file.path, 'utf8');
      return text.startsWith('\uFEFF') ? text.slice(1) : text;
    } catch (error) {
      throw errorAt(file, null, `cannot read the file: ${messageOf(error)}`, 'check that the file exists and is readable', error);
    }
  }

  /** Reads a SQL file, substituting template variables when the read was given some. */
  async readSql(file: MigrationFile): Promise<SqlSource> {
    const raw = await this.readText(file);
    if (this.#variables === null) {
      const placeholder = findPlaceholder(raw);
      if (placeholder !== null) {
        this.note(file, placeholder.line, `${placeholder.action} looks like a Go template placeholder; it is left as written (pass variables to substitute it)`);
      }
      return { file, text: raw, originalLine: (line) => line };
    }
    try {
      const expanded = expandTemplate(raw, this.#variables);
      return { file, text: expanded.text, originalLine: expanded.originalLine };
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      throw errorAt(file, error.line, error.message, 'pass the variable in the read options (variables: { Name: value })', error);
    }
  }

  /** A SQL script of the source: the whole text, or the given sections (in order). */
  script(source: SqlSource, transactional: boolean, sections?: readonly SqlSection[]): SqlMigrationScript {
    const parts = sections ?? [{ text: source.text, firstLine: 1 }];
    const statements: SqlStatement[] = [];
    for (const section of parts) {
      try {
        if (section.whole === true) {
          const statement = wholeStatement(section.text, this.dialect, { firstLine: section.firstLine });
          if (statement !== null) statements.push({ ...statement, line: source.originalLine(statement.line) });
          continue;
        }
        const split = splitStatements(section.text, this.dialect, { firstLine: section.firstLine });
        for (const statement of split.statements) statements.push({ ...statement, line: source.originalLine(statement.line) });
        for (const note of split.notes) this.note(source.file, source.originalLine(note.line), note.message);
      } catch (error) {
        if (!(error instanceof SqlSplitError)) throw error;
        throw errorAt(source.file, source.originalLine(error.line), error.message, `close it, or check that the file is written for ${this.dialect}`, error);
      }
    }
    const text = sections === undefined ? source.text : parts.map((part) => part.text).join('');
    return { kind: 'sql', file: source.file, text, statements, transactional };
  }
}
