import { Command } from 'commander';
import { dataCommand } from './commands/data-command.js';
import { diffCommand } from './commands/diff-command.js';
import { migrateCommand } from './commands/migrate-command.js';
import { scratchCommand } from './commands/scratch-command.js';
import { snapshotCommand } from './commands/snapshot-command.js';

export const VERSION = '0.1.0';

const OVERVIEW = `
schemaguard tests databases the way unit tests test code: it captures what a database is
(a canonical schema snapshot) and compares it with what it should be.

Databases are named by URL:
  postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=require]   (PGPASSWORD is honoured)
  mysql://USER[:PASSWORD]@HOST[:PORT]/DB, mariadb://…            (MYSQL_PWD is honoured)
  sqlite:PATH, PATH.sqlite / .sqlite3 / .db, sqlite::memory:
  pglite: (in memory) or pglite:DIR                               (embedded PostgreSQL)
  docker:postgres:16, docker:mysql:8, docker:mariadb:11           (throwaway containers)

Exit status: 0 success / no differences, 1 differences or failed checks, 2 error.
Passwords never appear in output. Databases not declared as scratch are only ever read.`;

export function createProgram(): Command {
  const program = new Command('schemaguard')
    .description('Schema snapshots, drift diffs and migration checks for PostgreSQL, MySQL/MariaDB and SQLite.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--debug', 'print stack traces and causes on errors')
    .option('-q, --quiet', 'print only results (no progress, no summaries)')
    .option('--no-color', 'never colour output (NO_COLOR is honoured too)')
    .option('-c, --config <file>', 'read settings from <file> (default: schemaguard.yaml in this folder or a parent)')
    .showSuggestionAfterError(true)
    .addHelpText('after', OVERVIEW)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true });
  program.addCommand(snapshotCommand());
  program.addCommand(diffCommand());
  program.addCommand(migrateCommand());
  program.addCommand(scratchCommand());
  program.addCommand(dataCommand());
  return program;
}
