import { Command } from 'commander';
import { writeFileAtomic } from '../../baseline/atomic-write.js';
import type { Engine } from '../../dialects/engine.js';
import { Progress } from '../../report/terminal.js';
import { serializeSnapshot } from '../../snapshot/canonical.js';
import { SchemaguardError } from '../../core/errors.js';
import { captureTablesData, DEFAULT_ROWS_LIMIT, selectTables } from '../../snapshot/data-capture.js';
import { withOpenSource } from '../../snapshot/data-source.js';
import type { SchemaSnapshot } from '../../snapshot/model.js';
import { captureSource, describeSource, parseSnapshotSource, type CaptureRequest, type SnapshotSource } from '../../snapshot/source.js';
import { summarizeSnapshot } from '../../snapshot/summary.js';
import { scratchTargetFromUrl, type ScratchTarget } from '../../scratch/scratch-target.js';
import { parseDatabaseUrl } from '../../dialects/database-url.js';
import { commandConfig, resolveOption } from '../command-config.js';
import { EXIT_OK } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { collect, dataTables, parseCount, parseDialect, parseScratch, parseTimeoutSeconds } from '../options.js';

interface SnapshotOptions {
  output?: string;
  schema: string[];
  exclude: string[];
  dialect?: Engine;
  scratch?: ScratchTarget;
  timeout: number;
  data?: boolean | string[];
  rowsLimit: number;
}

const EXAMPLES = `
Examples:
  $ schemaguard snapshot postgres://app@db.internal:5432/app -o schemaguard/schema.json
  $ schemaguard snapshot mysql://root@127.0.0.1:3306/shop --exclude 'tmp_*'
  $ schemaguard snapshot sqlite:app.db
  $ schemaguard snapshot schema.sql --dialect postgres          # loaded into PGlite, then captured
  $ schemaguard snapshot postgres://… --schema public --schema billing
  $ schemaguard snapshot postgres://ro@db/app --data -o schemaguard/data.json     # schema + data of every table
  $ schemaguard snapshot sqlite:app.db --data 'audit_*' users --rows-limit 100

The snapshot is canonical JSON: two captures of the same schema are byte-identical, so it can
be committed and reviewed. Live databases are read in a read-only transaction with a
statement timeout; nothing is written to them.

With --data, each table (or each table matching TABLES, globs over qualified names) also gets
its row count and an order-independent content fingerprint, computed while streaming, and —
when it has no more than --rows-limit rows — its rows, ordered by primary key
(docs/snapshot-format.md#data). Schema and data are read in the same transaction. Put --data
after <source>, or its tables would be taken for the source. The --timeout applies to each
table's read too: raise it for big tables (0 disables it).`;

export function snapshotCommand(): Command {
  return new Command('snapshot')
    .summary('capture a schema as a canonical JSON snapshot')
    .description('Capture the schema of a database, or of a .sql file loaded into a throwaway database, as canonical JSON.')
    .argument('<source>', 'database URL (postgres://, mysql://, mariadb://, sqlite:, pglite:) or a .sql schema file')
    .option('-o, --output <file>', 'write the snapshot to <file> (atomically) instead of standard output')
    .option('--schema <name>', 'capture only this schema; repeat for several (PostgreSQL)', collect, [])
    .option('--exclude <pattern>', 'leave out objects whose qualified name matches this glob; repeatable', collect, [])
    .option('--dialect <engine>', 'engine a .sql source is written for: postgres, mysql or sqlite', parseDialect)
    .option('--scratch <url>', 'where a .sql source is loaded (default: PGlite for postgres, a temp file for sqlite)', parseScratch)
    .option('--timeout <seconds>', 'statement timeout for catalog queries and table reads', parseTimeoutSeconds, 30)
    .option('--data [tables...]', 'also snapshot data: row counts, fingerprints, small tables\' rows (all tables, or those matching TABLES)')
    .option('--no-data', 'schema only, whatever the config file says')
    .option('--rows-limit <n>', 'with --data: store the rows of tables with at most <n> rows', parseCount(0), DEFAULT_ROWS_LIMIT)
    .addHelpText('after', EXAMPLES)
    .action(async (sourceArgument: string, flags: SnapshotOptions, command: Command) => {
      const { quiet } = globalOptions(command);
      const { config } = commandConfig(command);
      const options: SnapshotOptions = {
        ...flags,
        schema: flags.schema.length > 0 ? flags.schema : (config.schemas ?? []),
        exclude: flags.exclude.length > 0 ? flags.exclude : (config.exclude ?? []),
        dialect: resolveOption(command, 'dialect', config.dialect),
        scratch: flags.scratch ?? (config.scratch === undefined ? undefined : scratchTargetFromUrl(parseDatabaseUrl(config.scratch))),
        timeout: resolveOption(command, 'timeout', config.timeout),
        rowsLimit: resolveOption(command, 'rowsLimit', config.rowsLimit),
      };
      const tables = dataTables(flags.data, command.getOptionValueSource('data') === 'cli', config.data);
      const progress = new Progress(quiet);
      const source = parseSnapshotSource(sourceArgument);
      progress.step(source.kind === 'sql-file' ? `loading ${source.path} into a throwaway database…` : `reading ${describeSource(source)}…`);
      const request: CaptureRequest = {
        schemas: options.schema,
        exclude: options.exclude,
        statementTimeoutMs: options.timeout * 1000,
        dialect: options.dialect ?? null,
        scratch: options.scratch ?? null,
      };
      const snapshot =
        tables === null ? await captureSource(source, request) : await captureWithData(source, request, tables, options.rowsLimit, quiet);
      const text = serializeSnapshot(snapshot);
      if (options.output === undefined) {
        process.stdout.write(text);
      } else {
        await writeFileAtomic(options.output, text);
      }
      if (!quiet) {
        const where = options.output === undefined ? '' : ` → ${options.output}`;
        const data = snapshot.data === undefined ? '' : `; data of ${snapshot.data.length} table${snapshot.data.length === 1 ? '' : 's'}, ${snapshot.data.reduce((sum, d) => sum + d.rowCount, 0)} rows`;
        process.stderr.write(`${describeSource(source)}: ${summarizeSnapshot(snapshot)}${data}${where}\n`);
      }
      process.exitCode = EXIT_OK;
    });
}

/** Schema and data in one consistent transaction (or a snapshot file's stored data, narrowed to `tables`). */
async function captureWithData(source: SnapshotSource, request: CaptureRequest, tables: readonly string[], rowsLimit: number, quiet: boolean): Promise<SchemaSnapshot> {
  return withOpenSource(source, request, async ({ snapshot, read }) => {
    if (read === null) {
      if (snapshot.data === undefined) {
        throw new SchemaguardError(`${describeSource(source)} holds no data: it was written without --data`, {
          hint: 'snapshot the database itself with --data',
        });
      }
      const selected = selectTables(snapshot.data.map((d) => ({ ...d, name: d.table })), snapshot.engine, tables);
      warnUnmatched(selected.unmatched, quiet);
      return { ...snapshot, data: selected.tables.map(({ name: _, ...data }) => data) };
    }
    warnUnmatched(selectTables(snapshot.tables, snapshot.engine, tables).unmatched, quiet);
    return { ...snapshot, data: await captureTablesData(read, snapshot, { tables, rowsLimit }) };
  });
}

function warnUnmatched(patterns: readonly string[], quiet: boolean): void {
  if (quiet) return;
  for (const pattern of patterns) process.stderr.write(`schemaguard: warning: --data ${JSON.stringify(pattern)} matched no table\n`);
}
