import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { SchemaguardError, isSchemaguardError, messageOf } from '../../core/errors.js';
import { openDatabase } from '../../dialects/connect.js';
import { describeDatabaseUrl, parseDatabaseUrl, type DatabaseUrl } from '../../dialects/database-url.js';
import { isScratchUrl, loadDataset, LOAD_OPERATIONS, readDataset, type LoadOperation, type LoadProgress, type LoadResult } from '../../datasets/index.js';
import { commandConfig, resolveOption } from '../command-config.js';
import { EXIT_OK } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { parseTimeoutSeconds } from '../options.js';

interface LoadFlags {
  operation: LoadOperation;
  iKnowThisWrites?: boolean;
  setup?: string;
  seed?: number;
  timeout: number;
}

const LOAD_EXAMPLES = `
Examples:
  $ schemaguard data load pglite: datasets/shop/shop.yaml --setup datasets/shop/schema.postgres.sql
  $ schemaguard data load sqlite::memory: datasets/shop/shop-volume.yaml --setup datasets/shop/schema.sqlite.sql
  $ schemaguard data load postgres://ci@127.0.0.1/schemaguard_20261125t101500_3f9a1c fixtures/orders.yaml
  $ schemaguard data load mysql://root@127.0.0.1/app_test datasets/shop/csv --operation clean-insert --i-know-this-writes

A dataset is a .yaml or .json file, a TABLE.csv file, or a folder of TABLE.csv files
(docs/datasets.md). The load runs in one transaction: all of it, or nothing.

Only scratch databases are written without asking: in-memory ones (pglite:, sqlite::memory:),
databases named schemaguard_* (the throwaway ones schemaguard creates), and the scratch URL of
the config file. Any other URL needs --i-know-this-writes.`;

export function dataCommand(): Command {
  const data = new Command('data').summary('load seed and fixture data').description('Load datasets (seed and fixture data) into scratch databases.');
  data
    .command('load')
    .summary('load a dataset into a scratch database')
    .description('Load a dataset (YAML, JSON or CSV; written rows or generated volume) into a database, parents before children.')
    .argument('<db-url>', 'database to load into (pglite:, sqlite::memory:, postgres://…/schemaguard_*, mysql://…, sqlite:FILE)')
    .argument('<dataset>', 'a .yaml, .yml, .json or .csv file, or a folder of TABLE.csv files')
    .addOption(
      new Option('--operation <operation>', 'insert adds the rows; clean-insert empties the dataset\'s tables first; delete-all only empties them')
        .choices(LOAD_OPERATIONS)
        .default('insert'),
    )
    .option('--i-know-this-writes', 'allow writing to a database that is not a scratch database')
    .option('--setup <file.sql>', 'run this SQL script first (e.g. create the tables of an in-memory database)')
    .option('--seed <n>', 'seed for generated values, instead of the dataset\'s own', parseSeed)
    .option('--timeout <seconds>', 'statement timeout', parseTimeoutSeconds, 30)
    .addHelpText('after', LOAD_EXAMPLES)
    .action(async (urlArgument: string, datasetArgument: string, flags: LoadFlags, command: Command) => {
      const { quiet } = globalOptions(command);
      const { config } = commandConfig(command);
      const url = parseDatabaseUrl(urlArgument);
      const configScratch = config.scratch === undefined ? null : parseDatabaseUrl(config.scratch);
      const verdict = isScratchUrl(url, configScratch);
      if (!verdict.scratch && flags.iKnowThisWrites !== true) {
        throw new SchemaguardError(`${describeDatabaseUrl(url)} is not a scratch database, and data load writes to it`, {
          hint: 'pass --i-know-this-writes if it may be written, or load into pglite:, sqlite::memory:, a schemaguard_* database or the scratch URL of your config file',
        });
      }
      const dataset = await readDataset(datasetArgument);
      const setup = flags.setup === undefined ? null : await readSetup(flags.setup);
      const timeout = resolveOption(command, 'timeout', config.timeout);
      const connection = await openDatabase(url, 'scratch', { statementTimeoutMs: timeout * 1000 });
      const progress = new LoadProgressLine(quiet);
      let result: LoadResult;
      try {
        if (setup !== null) await runSetup(connection.executeScript.bind(connection), setup, url);
        result = await loadDataset(connection, dataset, {
          operation: flags.operation,
          ...(flags.seed === undefined ? {} : { seed: flags.seed }),
          onProgress: (update) => progress.update(update),
        });
      } finally {
        progress.clear();
        await connection.close().catch(() => {});
      }
      for (const table of result.tables) process.stdout.write(`${table.table}: ${describeCounts(table)}\n`);
      if (!quiet) {
        const how = [result.deferredConstraints ? 'foreign keys deferred to commit' : null, ...result.twoPhase.map((edge) => `two-phase ${edge}`)].filter((part) => part !== null);
        process.stderr.write(
          `${dataset.source}: ${result.inserted} row(s) inserted, ${result.deleted} deleted in ${result.tables.length} table(s) of ${describeDatabaseUrl(url)} (${result.operation}, ${(result.elapsedMs / 1000).toFixed(1)} s${how.length > 0 ? `; ${how.join('; ')}` : ''})\n`,
        );
      }
      process.exitCode = EXIT_OK;
    });
  return data;
}

function describeCounts(table: LoadResult['tables'][number]): string {
  const parts = [`${table.inserted} inserted`];
  if (table.deleted > 0) parts.unshift(`${table.deleted} deleted`);
  if (table.updated > 0) parts.push(`${table.updated} updated (second phase)`);
  return parts.join(', ');
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new InvalidArgumentError('expected a whole number');
  return seed;
}

async function readSetup(path: string): Promise<{ path: string; text: string }> {
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (error) {
    throw new SchemaguardError(`cannot read the setup script ${path}: ${messageOf(error)}`, { hint: 'check the path given to --setup' });
  }
}

async function runSetup(execute: (script: string) => Promise<void>, setup: { path: string; text: string }, url: DatabaseUrl): Promise<void> {
  try {
    await execute(setup.text);
  } catch (error) {
    if (isSchemaguardError(error)) throw error;
    throw new SchemaguardError(`running ${setup.path} on ${describeDatabaseUrl(url)} failed: ${messageOf(error).split('\n')[0]}`, {
      hint: 'fix the setup script; nothing was loaded',
      cause: error,
    });
  }
}

/** One line on stderr, rewritten in place, for loads large enough to wait for; only on a terminal. */
class LoadProgressLine {
  readonly #enabled: boolean;
  #lastWrite = 0;
  #shown = false;

  constructor(quiet: boolean, stream: NodeJS.WriteStream = process.stderr) {
    this.#enabled = !quiet && stream.isTTY === true;
  }

  update(progress: LoadProgress): void {
    if (!this.#enabled || progress.total < 5000) return;
    const now = Date.now();
    if (now - this.#lastWrite < 200 && progress.done < progress.total) return;
    this.#lastWrite = now;
    const verb = progress.phase === 'insert' ? 'inserting' : progress.phase === 'update' ? 'updating' : 'emptying';
    const percent = Math.floor((progress.done / Math.max(1, progress.total)) * 100);
    process.stderr.write(`\r\u001b[2K${verb} ${progress.table}: ${progress.done.toLocaleString('en-US')} / ${progress.total.toLocaleString('en-US')} rows (${percent}%)`);
    this.#shown = true;
  }

  clear(): void {
    if (this.#shown) process.stderr.write('\r\u001b[2K');
    this.#shown = false;
  }
}
