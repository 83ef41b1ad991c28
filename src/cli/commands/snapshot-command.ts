import { Command } from 'commander';
import { writeFileAtomic } from '../../baseline/atomic-write.js';
import type { Engine } from '../../dialects/engine.js';
import { Progress } from '../../report/terminal.js';
import { serializeSnapshot } from '../../snapshot/canonical.js';
import { captureSource, describeSource, parseSnapshotSource } from '../../snapshot/source.js';
import { summarizeSnapshot } from '../../snapshot/summary.js';
import { scratchTargetFromUrl, type ScratchTarget } from '../../scratch/scratch-target.js';
import { parseDatabaseUrl } from '../../dialects/database-url.js';
import { commandConfig, resolveOption } from '../command-config.js';
import { EXIT_OK } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { collect, parseDialect, parseScratch, parseTimeoutSeconds } from '../options.js';

interface SnapshotOptions {
  output?: string;
  schema: string[];
  exclude: string[];
  dialect?: Engine;
  scratch?: ScratchTarget;
  timeout: number;
}

const EXAMPLES = `
Examples:
  $ schemaguard snapshot postgres://app@db.internal:5432/app -o schemaguard/schema.json
  $ schemaguard snapshot mysql://root@127.0.0.1:3306/shop --exclude 'tmp_*'
  $ schemaguard snapshot sqlite:app.db
  $ schemaguard snapshot schema.sql --dialect postgres          # loaded into PGlite, then captured
  $ schemaguard snapshot postgres://… --schema public --schema billing

The snapshot is canonical JSON: two captures of the same schema are byte-identical, so it can
be committed and reviewed. Live databases are read in a read-only transaction with a
statement timeout; nothing is written to them.`;

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
    .option('--timeout <seconds>', 'statement timeout for catalog queries', parseTimeoutSeconds, 30)
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
      };
      const progress = new Progress(quiet);
      const source = parseSnapshotSource(sourceArgument);
      progress.step(source.kind === 'sql-file' ? `loading ${source.path} into a throwaway database…` : `reading ${describeSource(source)}…`);
      const snapshot = await captureSource(source, {
        schemas: options.schema,
        exclude: options.exclude,
        statementTimeoutMs: options.timeout * 1000,
        dialect: options.dialect ?? null,
        scratch: options.scratch ?? null,
      });
      const text = serializeSnapshot(snapshot);
      if (options.output === undefined) {
        process.stdout.write(text);
      } else {
        await writeFileAtomic(options.output, text);
      }
      if (!quiet) {
        const where = options.output === undefined ? '' : ` → ${options.output}`;
        process.stderr.write(`${describeSource(source)}: ${summarizeSnapshot(snapshot)}${where}\n`);
      }
      process.exitCode = EXIT_OK;
    });
}
