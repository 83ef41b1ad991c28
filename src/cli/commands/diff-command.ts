import { Command, Option } from 'commander';
import { writeFileAtomic } from '../../baseline/atomic-write.js';
import { SchemaguardError } from '../../core/errors.js';
import type { Engine } from '../../dialects/engine.js';
import { migrationGeneratorFor } from '../../dialects/migration-generator.js';
import { DEFAULT_MAX_ROW_CHANGES, diffData, type DataDiffResult } from '../../diff/data-diff.js';
import { renderTextDataDiff } from '../../diff/data-render.js';
import { compareSnapshots } from '../../diff/diff-snapshots.js';
import { IGNORE_KINDS, parseIgnoreKind, type IgnoreKind } from '../../diff/ignore-rules.js';
import { renderJsonDiff } from '../../diff/render-json.js';
import { renderMarkdownDiff } from '../../diff/render-markdown.js';
import { renderMigrationScript } from '../../diff/migration-script.js';
import { renderTextDiff } from '../../diff/render-text.js';
import { colorEnabled, Progress } from '../../report/terminal.js';
import { parseDatabaseUrl } from '../../dialects/database-url.js';
import { scratchTargetFromUrl, type ScratchTarget } from '../../scratch/scratch-target.js';
import type { SchemaSnapshot } from '../../snapshot/model.js';
import { withOpenSource, type OpenSource } from '../../snapshot/data-source.js';
import { captureSource, describeSource, parseSnapshotSource, sourceEngine, type CaptureRequest, type SnapshotSource } from '../../snapshot/source.js';
import { commandConfig, resolveOption } from '../command-config.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { collect, dataTables, parseCount, parseDialect, parseScratch, parseTimeoutSeconds } from '../options.js';

type DiffFormat = 'text' | 'json' | 'markdown' | 'sql';

const EXAMPLES = `
Examples:
  $ schemaguard diff postgres://ro@staging/app postgres://ro@prod/app
  $ schemaguard diff schemaguard/schema.json postgres://ro@prod/app --format json -o drift.json
  $ schemaguard diff postgres://ro@prod/app postgres://ro@staging/app --format sql > fix-staging.sql
  $ schemaguard diff a.json b.json --format markdown >> "$GITHUB_STEP_SUMMARY"
  $ schemaguard diff schema.sql sqlite:app.db                  # the .sql side takes the other side's engine
  $ schemaguard diff pg.json mysql.json                         # different engines: compared on normalised types
  $ schemaguard diff a b --ignore 'public.tmp_*' --ignore-kind owners --ignore-kind grants
  $ schemaguard diff schemaguard/data.json postgres://ro@staging/app --data    # rows too
  $ schemaguard diff postgres://ro@prod/app postgres://ro@staging/app --data public.orders

Each side is a database URL, a snapshot file (.json) or a schema file (.sql, loaded into a
throwaway database). Live databases are read in a read-only REPEATABLE READ transaction with
a statement timeout (--timeout); nothing is ever written to them.

Formats:
  text      one line per difference, grouped by object (coloured on a terminal)
  json      the change list (docs/diff-format.md)
  markdown  for a pull request or $GITHUB_STEP_SUMMARY, with a Mermaid diagram
  sql       the DDL that turns <a> into <b>; destructive statements stay commented out
            unless --allow-destructive, and every hazard is commented

With --data, rows are compared too (docs/diff-format.md#data): for tables with a primary key,
the missing (only in <a>), extra (only in <b>) and changed rows by key — the first
--max-row-changes of each, then counts — by streaming both sides in key order; tables without
one by row count and fingerprint. A snapshot file side uses its stored rows, and only its
fingerprint for tables whose rows it did not store (the output says so). Put --data after
<a> <b>. --format sql does not take --data.

Kinds for --ignore-kind: ${Object.keys(IGNORE_KINDS).join(', ')}

Exit status: 0 no differences, 1 differences found, 2 error.`;

interface DiffFlags {
  schema: string[];
  exclude: string[];
  dialect?: Engine;
  scratch?: ScratchTarget;
  timeout: number;
  strictColumnOrder?: boolean;
  format: DiffFormat;
  ignore: string[];
  ignoreKind: IgnoreKind[];
  allowDestructive?: boolean;
  crossEngine?: boolean;
  output?: string;
  data?: boolean | string[];
  maxRowChanges: number;
}

export function diffCommand(): Command {
  return new Command('diff')
    .summary('compare two schemas; exit 1 when they differ')
    .description('Compare two schemas (database URLs, snapshot files or .sql files) and report every difference.')
    .argument('<a>', 'the reference side: database URL, snapshot .json or schema .sql')
    .argument('<b>', 'the side compared against it')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown', 'sql']).default('text'))
    .option('-o, --output <file>', 'write the report to <file> (atomically) instead of standard output')
    .option('--ignore <pattern>', 'do not report objects whose qualified name matches this glob (and what they contain); repeatable', collect, [])
    .option('--ignore-kind <kind>', 'do not report this kind of change (see below); repeatable', (value: string, previous: IgnoreKind[] = []) => [...previous, ...value.split(',').map(parseIgnoreKind)], [])
    .option('--strict-column-order', 'also report columns whose position changed')
    .option('--cross-engine', 'compare on normalised types even for one engine (automatic when the engines differ)')
    .option('--allow-destructive', 'with --format sql: emit DROP and narrowing statements instead of commenting them out')
    .option('--schema <name>', 'compare only this schema; repeatable (PostgreSQL)', collect, [])
    .option('--exclude <pattern>', 'leave objects matching this glob out of both snapshots; repeatable', collect, [])
    .option('--dialect <engine>', 'engine of .sql sides when no other side tells it: postgres, mysql or sqlite', parseDialect)
    .option('--scratch <url>', 'where .sql sides are loaded (default: PGlite for postgres, a temp file for sqlite)', parseScratch)
    .option('--timeout <seconds>', 'statement timeout for catalog queries and table reads', parseTimeoutSeconds, 30)
    .option('--data [tables...]', 'also compare rows (of all tables, or those matching TABLES)')
    .option('--no-data', 'schema only, whatever the config file says')
    .option('--max-row-changes <n>', 'with --data: list at most <n> missing, extra and changed rows per table', parseCount(1), DEFAULT_MAX_ROW_CHANGES)
    .addHelpText('after', EXAMPLES)
    .action(async (a: string, b: string, flags: DiffFlags, command: Command) => {
      const { quiet, color } = globalOptions(command);
      const { config } = commandConfig(command);
      const options: DiffFlags = {
        ...flags,
        format: resolveOption(command, 'format', config.diff?.format),
        ignore: [...flags.ignore, ...(command.getOptionValueSource('ignore') === 'cli' ? [] : (config.diff?.ignore ?? []))],
        ignoreKind: [...flags.ignoreKind, ...(command.getOptionValueSource('ignoreKind') === 'cli' ? [] : (config.diff?.ignoreKinds ?? []))],
        strictColumnOrder: resolveOption(command, 'strictColumnOrder', config.diff?.strictColumnOrder),
        allowDestructive: resolveOption(command, 'allowDestructive', config.diff?.allowDestructive),
        timeout: resolveOption(command, 'timeout', config.timeout),
        dialect: resolveOption(command, 'dialect', config.dialect),
        scratch: flags.scratch ?? (config.scratch === undefined ? undefined : scratchTargetFromUrl(parseDatabaseUrl(config.scratch))),
        schema: flags.schema.length > 0 ? flags.schema : (config.schemas ?? []),
        exclude: flags.exclude.length > 0 ? flags.exclude : (config.exclude ?? []),
        maxRowChanges: resolveOption(command, 'maxRowChanges', config.diff?.maxRowChanges),
      };
      const tables = dataTables(flags.data, command.getOptionValueSource('data') === 'cli', config.data);
      if (tables !== null && options.format === 'sql') {
        throw new SchemaguardError('--format sql does not take --data: it generates schema changes only', {
          hint: 'drop --data, or use --format text, json or markdown to see data differences',
        });
      }
      const progress = new Progress(quiet);
      const sources = [parseSnapshotSource(a), parseSnapshotSource(b)] as const;
      const report = (before: SchemaSnapshot, after: SchemaSnapshot, data: DataDiffResult | null) =>
        reportDiff({ options, sources, quiet, color }, before, after, data);
      if (tables !== null) {
        await withBothOpen(sources, options, progress, async (x, y) => {
          progress.step('comparing rows…');
          const data = await diffData(x, y, { tables, maxRows: options.maxRowChanges });
          if (!quiet) for (const pattern of data.unmatchedPatterns) process.stderr.write(`schemaguard: warning: --data ${JSON.stringify(pattern)} matched no table\n`);
          await report(x.snapshot, y.snapshot, data);
        });
        return;
      }
      const [before, after] = await captureBoth(sources, options, progress);
      await report(before, after, null);
    });
}

interface ReportContext {
  readonly options: DiffFlags;
  readonly sources: readonly [SnapshotSource, SnapshotSource];
  readonly quiet: boolean;
  readonly color: boolean;
}

/** Compares the schemas, renders schema (and data) differences, writes them and sets the exit code. */
async function reportDiff(context: ReportContext, before: SchemaSnapshot, after: SchemaSnapshot, data: DataDiffResult | null): Promise<void> {
  const { options, sources, quiet, color } = context;
  const crossEngine = options.crossEngine === true || before.engine !== after.engine;
  if (crossEngine && before.engine !== after.engine && !quiet) {
    process.stderr.write(`schemaguard: comparing ${before.engine} with ${after.engine} on normalised types (portable meaning only)\n`);
  }
  const result = compareSnapshots(before, after, {
    strictColumnOrder: options.strictColumnOrder === true,
    patterns: options.ignore,
    kinds: options.ignoreKind,
    crossEngine,
  });
  const warnings = result.unusedIgnorePatterns.map((pattern) => `--ignore ${JSON.stringify(pattern)} matched no object`);
  if (!quiet) for (const warning of warnings) process.stderr.write(`schemaguard: warning: ${warning}\n`);
  const toFile = options.output !== undefined;
  const text = await render(options.format, {
    changes: result.changes,
    before,
    after,
    sources,
    warnings,
    allowDestructive: options.allowDestructive === true,
    crossEngine,
    color: !toFile && options.format === 'text' && colorEnabled(process.stdout, !color),
    data,
  });
  if (toFile) await writeFileAtomic(options.output!, text);
  else process.stdout.write(text);
  process.exitCode = result.changes.length === 0 && (data === null || data.equal) ? EXIT_OK : EXIT_FAILED;
}

interface RenderInput {
  data: DataDiffResult | null;
  changes: ReturnType<typeof compareSnapshots>['changes'];
  before: SchemaSnapshot;
  after: SchemaSnapshot;
  sources: readonly [SnapshotSource, SnapshotSource];
  warnings: string[];
  allowDestructive: boolean;
  crossEngine: boolean;
  color: boolean;
}

async function render(format: DiffFormat, input: RenderInput): Promise<string> {
  const [a, b] = input.sources.map(describeSource) as [string, string];
  switch (format) {
    case 'text': {
      const schema = renderTextDiff(input.changes, { color: input.color });
      return input.data === null ? schema : `${schema}${renderTextDataDiff(input.data, { color: input.color })}`;
    }
    case 'json':
      return renderJsonDiff(
        input.changes,
        { source: a, engine: input.before.engine },
        { source: b, engine: input.after.engine },
        input.warnings,
        input.data === null ? {} : { data: input.data },
      );
    case 'markdown': {
      const schema = renderMarkdownDiff(input.changes, input.before, input.after, `Schema diff: \`${a}\` → \`${b}\``);
      return input.data === null ? schema : `${schema}\n### Data\n\n\`\`\`\n${renderTextDataDiff(input.data)}\`\`\`\n`;
    }
    case 'sql': {
      if (input.crossEngine) {
        throw new SchemaguardError('--format sql needs two sides of the same engine', {
          hint: 'generate SQL between snapshots of one engine; use text, json or markdown to compare engines',
        });
      }
      const generate = await migrationGeneratorFor(input.after.engine);
      return renderMigrationScript(generate(input.before, input.after, input.changes), {
        allowDestructive: input.allowDestructive,
        engine: input.after.engine,
        header: [`schemaguard diff --format sql: turns ${a}`, `into ${b}`, 'Review before running. Hazards are marked; destructive statements need --allow-destructive.'],
      });
    }
  }
}

/**
 * Captures the sides that know their engine first (concurrently), then loads .sql sides
 * into a throwaway database of that engine.
 */
async function captureBoth(
  sources: readonly [SnapshotSource, SnapshotSource],
  options: DiffFlags,
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

/**
 * Opens both sides for reading rows, each in its own consistent read-only transaction held
 * while `work` runs. Sides whose engine is known open first, so a .sql side is loaded into a
 * throwaway database of the other side's engine.
 */
async function withBothOpen<T>(
  sources: readonly [SnapshotSource, SnapshotSource],
  options: DiffFlags,
  progress: Progress,
  work: (a: OpenSource, b: OpenSource) => Promise<T>,
): Promise<T> {
  const request = (dialect: Engine | null): CaptureRequest => ({
    schemas: options.schema,
    exclude: options.exclude,
    statementTimeoutMs: options.timeout * 1000,
    dialect,
    scratch: options.scratch ?? null,
  });
  const order = sources[0].kind === 'sql-file' && sources[1].kind !== 'sql-file' ? ([1, 0] as const) : ([0, 1] as const);
  const open = (index: 0 | 1, dialect: Engine | null, next: (side: OpenSource) => Promise<T>) => {
    const source = sources[index];
    progress.step(source.kind === 'sql-file' ? `loading ${source.path} into a throwaway database…` : `reading ${describeSource(source)}…`);
    return withOpenSource(source, request(dialect), next);
  };
  const known = options.dialect ?? sources.map(sourceEngine).find((e) => e !== null) ?? null;
  return open(order[0], sources[order[0]].kind === 'sql-file' ? known : null, (first) =>
    open(order[1], sources[order[1]].kind === 'sql-file' ? (options.dialect ?? first.snapshot.engine) : null, (second) =>
      order[0] === 0 ? work(first, second) : work(second, first),
    ),
  );
}
