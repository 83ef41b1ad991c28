import { Command } from 'commander';
import type { Engine } from '../../dialects/engine.js';
import { diffSnapshots } from '../../diff/diff-snapshots.js';
import { renderTextDiff } from '../../diff/render-text.js';
import { Progress } from '../../report/terminal.js';
import { captureSource, describeSource, parseSnapshotSource, sourceEngine, type SnapshotSource } from '../../snapshot/source.js';
import type { ScratchTarget } from '../../scratch/scratch-target.js';
import type { SchemaSnapshot } from '../../snapshot/model.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { collect, parseDialect, parseScratch, parseTimeoutSeconds } from '../options.js';

interface DiffOptions {
  schema: string[];
  exclude: string[];
  dialect?: Engine;
  scratch?: ScratchTarget;
  timeout: number;
  strictColumnOrder?: boolean;
}

const EXAMPLES = `
Examples:
  $ schemaguard diff postgres://ro@staging/app postgres://ro@prod/app
  $ schemaguard diff schemaguard/schema.json postgres://ro@prod/app
  $ schemaguard diff schema.sql sqlite:app.db                  # .sql side takes the other side's engine
  $ schemaguard diff old.sql new.sql --dialect mysql --scratch mysql://root@127.0.0.1

Each side is a database URL, a snapshot file (.json) or a schema file (.sql). Each difference
is printed on its own line, named by the object's qualified name:
  public.film.rating: type changed text → mpaa_rating

Exit status: 0 no differences, 1 differences found, 2 error.`;

export function diffCommand(): Command {
  return new Command('diff')
    .summary('compare two schemas; exit 1 when they differ')
    .description('Compare two schemas (database URLs, snapshot files or .sql files) and list every difference.')
    .argument('<a>', 'the reference side: database URL, snapshot .json or schema .sql')
    .argument('<b>', 'the side compared against it')
    .option('--schema <name>', 'compare only this schema; repeatable (PostgreSQL)', collect, [])
    .option('--exclude <pattern>', 'leave out objects whose qualified name matches this glob; repeatable', collect, [])
    .option('--dialect <engine>', 'engine of .sql sides when no other side tells it: postgres, mysql or sqlite', parseDialect)
    .option('--scratch <url>', 'where .sql sides are loaded (default: PGlite for postgres, a temp file for sqlite)', parseScratch)
    .option('--timeout <seconds>', 'statement timeout for catalog queries', parseTimeoutSeconds, 30)
    .option('--strict-column-order', 'also report columns whose position changed')
    .addHelpText('after', EXAMPLES)
    .action(async (a: string, b: string, options: DiffOptions, command: Command) => {
      const { quiet } = globalOptions(command);
      const progress = new Progress(quiet);
      const sources = [parseSnapshotSource(a), parseSnapshotSource(b)] as const;
      const snapshots = await captureBoth(sources, options, progress);
      const changes = diffSnapshots(snapshots[0], snapshots[1], { strictColumnOrder: options.strictColumnOrder === true });
      process.stdout.write(renderTextDiff(changes));
      process.exitCode = changes.length === 0 ? EXIT_OK : EXIT_FAILED;
    });
}

/**
 * Captures the sides that know their engine first (concurrently), then loads .sql sides
 * into a throwaway database of that engine.
 */
async function captureBoth(
  sources: readonly [SnapshotSource, SnapshotSource],
  options: DiffOptions,
  progress: Progress,
): Promise<readonly [SchemaSnapshot, SchemaSnapshot]> {
  const request = (dialect: Engine | null) => ({
    schemas: options.schema,
    exclude: options.exclude,
    statementTimeoutMs: options.timeout * 1000,
    dialect,
    scratch: options.scratch ?? null,
  });
  const results: (SchemaSnapshot | undefined)[] = [undefined, undefined];
  await Promise.all(
    sources.map(async (source, index) => {
      if (source.kind === 'sql-file') return;
      progress.step(`reading ${describeSource(source)}…`);
      results[index] = await captureSource(source, request(null));
    }),
  );
  const known = options.dialect ?? results.find((s) => s !== undefined)?.engine ?? sources.map(sourceEngine).find((e) => e !== null) ?? null;
  for (const [index, source] of sources.entries()) {
    if (source.kind !== 'sql-file') continue;
    progress.step(`loading ${source.path} into a throwaway database…`);
    results[index] = await captureSource(source, request(known));
  }
  return [results[0]!, results[1]!];
}
