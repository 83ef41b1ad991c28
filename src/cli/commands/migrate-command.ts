import { Command, Option } from 'commander';
import { basename, dirname, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../../baseline/atomic-write.js';
import { DEFAULT_BASELINE_DIR, obsoleteBaselines } from '../../baseline/baseline.js';
import { firstCheckedIndex, type MigrationSelection } from '../../checks/migrations/select-migrations.js';
import { runMigrateCheck } from '../../checks/migrations/migrate-check.js';
import { SEVERITY_SETTINGS, type SeverityContext, type SeveritySetting } from '../../checks/lint/lint-severity.js';
import { DEFAULT_LARGE_TABLE, readTableSizes, TABLE_SIZES_QUERIES } from '../../checks/lint/table-sizes.js';
import { SchemaguardError } from '../../core/errors.js';
import { parseDatabaseUrl } from '../../dialects/database-url.js';
import type { Engine } from '../../dialects/engine.js';
import { parseIgnoreKind, type IgnoreKind } from '../../diff/ignore-rules.js';
import { readMigrationSet } from '../../migrations/read-migrations.js';
import { isMigrationFormat, MIGRATION_FORMATS, type MigrationFormat } from '../../migrations/migration.js';
import { runFailed, type CheckRun, type CheckSuite } from '../../report/check-report.js';
import { renderRun, REPORTER_NAMES, type ReporterName, type ReporterTarget } from '../../report/reporters.js';
import { colorEnabled, Progress } from '../../report/terminal.js';
import { defaultScratchTarget, scratchTargetFromUrl, type ScratchTarget } from '../../scratch/scratch-target.js';
import { commandConfig, resolveOption } from '../command-config.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { collect, parseCount, parseDialect, parseScratch, parseTimeoutSeconds } from '../options.js';
import { dataGuardFor } from './data-guard.js';

const CHECK_EXAMPLES = `
Examples:
  $ schemaguard migrate check migrations --dialect postgres          # PGlite, no server needed
  $ schemaguard migrate check db/migrations --dialect sqlite -u      # write/refresh the baseline
  $ schemaguard migrate check migrations --dialect mysql --scratch mysql://root@127.0.0.1:3306
  $ schemaguard migrate check --git-base origin/main --reporter github --reporter junit:reports/migrations.xml
  $ schemaguard migrate check --seed datasets/shop.yaml              # rows must survive up, down, up

For every migration, on a throwaway database: snapshot, up, snapshot, down, snapshot (must
equal the first), up again (must equal the second). Then the final schema is compared with
the baseline (default ${DEFAULT_BASELINE_DIR}/schema.json): written on a first local run, never
written in CI (--ci, the default when CI=true), rewritten with -u.

Folder formats (detected, or --format): ${MIGRATION_FORMATS.join(', ')}.
Reporters: ${REPORTER_NAMES.join(', ')}, each to standard output or NAME:FILE; repeatable.

Then every checked migration is linted (see \`schemaguard migrate lint --help\`; --no-lint skips it).

Exit status: 0 all checks passed (lint warnings do not fail), 1 a check failed or lint found an
error, 2 error (bad folder, SQL error in a migration the checks could not run, unreachable
scratch server…).`;

const LINT_EXAMPLES = `
Examples:
  $ schemaguard migrate lint migrations --dialect postgres           # PGlite, no server needed
  $ schemaguard migrate lint --git-base origin/main --reporter github
  $ schemaguard migrate lint db/migrate --dialect mysql --scratch mysql://root@127.0.0.1:3306 --latest 1
  $ schemaguard migrate lint --table-sizes table-sizes.json --rule foreign-key-without-index=off
  $ schemaguard migrate lint --list-rules

Each checked migration is applied to a throwaway database whose tables hold rows (--seed, else
one generated row per table). Findings name the rule, severity, object, file and line, why it
hurts and what to do instead (docs/rules/<rule>.md). Findings on objects the same migration
created are lowered one level; with --table-sizes, findings on large tables are raised and on
small ones lowered.

Accept a finding with a comment on the statement's line or the line before it:
  -- schemaguard:ignore table-dropped the table was unused since release 41

Severities per rule go in schemaguard.yaml:
  lint:
    rules: { pg-prefer-text: off, column-dropped: warning }

Exit status: 0 no error findings, 1 at least one error finding, 2 error.`;

const TABLE_SIZES_EXAMPLES = `
The query only reads the catalog (row estimates on PostgreSQL and MySQL; exact counts on
SQLite) and returns one JSON object, which --table-sizes reads.

Examples:
  $ schemaguard migrate table-sizes-query --dialect postgres > table-sizes.sql
  $ psql "$PROD_URL" -X -A -t -f table-sizes.sql > table-sizes.json
  $ mysql --batch --raw --skip-column-names app < table-sizes.sql > table-sizes.json
  $ schemaguard migrate lint --table-sizes table-sizes.json`;

/** What `migrate check` and `migrate lint` both take. */
interface FolderFlags {
  format?: string;
  dialect?: Engine;
  scratch?: ScratchTarget;
  from?: string;
  gitBase?: string;
  latest?: number;
  seed?: string;
  timeout: number;
  reporter: string[];
  var: string[];
  allowVersionGaps?: boolean;
  strictColumnOrder?: boolean;
  ignore: string[];
  ignoreKind: IgnoreKind[];
}

interface LintFlags {
  rule: string[];
  tableSizes?: string;
  largeTable?: number;
}

interface CheckFlags extends FolderFlags, LintFlags {
  baseline?: string;
  update?: boolean;
  ci?: boolean;
  lint: boolean;
}

/** Options both commands read the folder, the selection and the throwaway database with. */
function addFolderOptions(command: Command, verb: string): Command {
  return command
    .argument('[dir]', 'the migration folder (default: migrations.dir in the config, else ./migrations)')
    .addOption(new Option('--format <format>', 'the folder format, instead of detecting it').choices([...MIGRATION_FORMATS]))
    .option('--dialect <engine>', 'engine the migrations are written for: postgres, mysql or sqlite', parseDialect)
    .option('--scratch <url>', 'where the throwaway database is made (default: PGlite / SQLite temp file; MySQL needs a server or docker: URL)', parseScratch)
    .option('--from <version>', `${verb} migrations from this version on; earlier ones only build the base schema`)
    .option('--git-base <ref>', `${verb} only the migrations this branch adds compared with <ref> (e.g. origin/main)`)
    .option('--latest <n>', `${verb} only the last <n> migrations of the folder`, parseCount(1))
    .option(
      '--seed <dataset>',
      verb === 'check'
        ? 'load this dataset before the first checked migration; its rows must survive each round trip (lint runs on them too)'
        : 'load this dataset before the first linted migration and lint on its rows (default: one generated row per table)',
    )
    .option('--timeout <seconds>', 'statement timeout: a migration that hangs longer fails', parseTimeoutSeconds, 60)
    .option('--reporter <name[:file]>', 'pretty, json, junit, github or markdown, to stdout or a file; repeatable', collect, [])
    .option('--var <name=value>', 'value for a template placeholder such as {{ index .Options "Namespace" }}; repeatable', collect, [])
    .option('--allow-version-gaps', 'accept gaps in sequential versions (0001, 0003)');
}

function addLintOptions(command: Command): Command {
  return command
    .option('--rule <id=severity>', 'set a rule to error, warning, info or off; repeatable', collect, [])
    .option('--table-sizes <file>', 'row counts exported from production (see `migrate table-sizes-query`), to weight findings')
    .option('--large-table <rows>', `a table with at least this many rows is large (default ${DEFAULT_LARGE_TABLE.toLocaleString('en-US')})`, parseCount(1));
}

/** The folder, the selection and the scratch target, from flags and the config file. */
async function folderInputs(dirArgument: string | undefined, flags: FolderFlags, command: Command, progress: Progress) {
  const { config, path: configPath } = commandConfig(command);
  // Paths in the config file are relative to the file, so a project can be checked from anywhere.
  const fromConfig = (path: string | undefined) => (path === undefined || configPath === null ? path : relativeToCwd(resolve(dirname(configPath), path)));
  const m = config.migrations ?? {};
  const dialect = resolveOption(command, 'dialect', config.dialect);
  if (dialect === undefined) {
    throw new SchemaguardError('which engine are these migrations written for?', { hint: 'add --dialect postgres|mysql|sqlite, or `dialect:` in schemaguard.yaml' });
  }
  const folder = dirArgument ?? fromConfig(m.dir) ?? 'migrations';
  const formatText = flags.format ?? m.format;
  const format: MigrationFormat | undefined = formatText !== undefined && isMigrationFormat(formatText) ? formatText : undefined;
  const variables = { ...(m.variables ?? {}), ...parseVariables(flags.var) };
  progress.step(`reading ${folder}…`);
  const set = await readMigrationSet(folder, {
    dialect,
    format,
    variables,
    allowVersionGaps: resolveOption(command, 'allowVersionGaps', m.allowVersionGaps) === true,
  });
  const gitBase = flags.gitBase ?? m.gitBase;
  const from = flags.from ?? m.from;
  const selection: MigrationSelection =
    flags.latest !== undefined
      ? { kind: 'latest', count: flags.latest }
      : gitBase !== undefined
        ? { kind: 'git-base', ref: gitBase, folder }
        : from !== undefined
          ? { kind: 'from', version: from }
          : { kind: 'all' };
  const scratch = flags.scratch ?? (config.scratch === undefined ? defaultScratchTarget(dialect) : scratchTargetFromUrl(parseDatabaseUrl(config.scratch)));
  const seed = flags.seed ?? fromConfig(m.seed);
  return {
    config,
    configPath,
    fromConfig,
    set,
    scratch,
    firstChecked: firstCheckedIndex(set.migrations, selection),
    statementTimeoutMs: resolveOption(command, 'timeout', config.timeout) * 1000,
    diff: {
      strictColumnOrder: resolveOption(command, 'strictColumnOrder', config.diff?.strictColumnOrder) === true,
      patterns: [...flags.ignore, ...(config.diff?.ignore ?? [])],
      kinds: [...flags.ignoreKind, ...(config.diff?.ignoreKinds ?? [])],
    },
    data: seed === undefined ? null : await dataGuardFor(seed, m.transforms ?? {}),
    reporters: reporterTargets(flags.reporter.length > 0 ? flags.reporter : (m.reporters ?? [])),
  };
}

type FolderInputs = Awaited<ReturnType<typeof folderInputs>>;

/** Rule severities, table sizes and the large-table threshold, from flags and the config file. */
async function severityContext(flags: LintFlags, inputs: FolderInputs): Promise<SeverityContext> {
  const lint = inputs.config.lint ?? {};
  // The rules load the parsers (libpg-query's WebAssembly): only commands that lint pay for it.
  const { ruleById } = await import('../../checks/lint/rules/all-rules.js');
  const checkRuleId = (id: string, where: string) => {
    if (ruleById(id) !== undefined) return;
    throw new SchemaguardError(`${where} names rule "${id}", which does not exist`, { hint: 'see docs/lint.md for the rule ids (or `schemaguard migrate lint --list-rules`)' });
  };
  const overrides: Record<string, SeveritySetting> = { ...(lint.rules ?? {}) };
  for (const id of Object.keys(overrides)) checkRuleId(id, 'lint.rules in the config file');
  for (const entry of flags.rule) {
    const at = entry.indexOf('=');
    const id = entry.slice(0, at);
    const severity = entry.slice(at + 1);
    if (at <= 0 || !(SEVERITY_SETTINGS as readonly string[]).includes(severity)) {
      throw new SchemaguardError(`--rule ${JSON.stringify(entry)} is not ID=SEVERITY`, { hint: `e.g. --rule table-dropped=warning (severities: ${SEVERITY_SETTINGS.join(', ')})` });
    }
    checkRuleId(id, '--rule');
    overrides[id] = severity as SeveritySetting;
  }
  const sizesPath = flags.tableSizes ?? inputs.fromConfig(lint.tableSizes);
  return {
    overrides,
    tableSizes: sizesPath === undefined ? null : await readTableSizes(sizesPath),
    largeTable: flags.largeTable ?? lint.largeTable ?? DEFAULT_LARGE_TABLE,
  };
}

async function runLintSuite(severities: SeverityContext, inputs: FolderInputs, progress: Progress): Promise<{ suite: CheckSuite; notes: readonly string[] }> {
  const [{ runLint }, { lintSuite }] = await Promise.all([import('../../checks/lint/run-lint.js'), import('../../checks/lint/lint-report.js')]);
  const result = await runLint(
    {
      set: inputs.set,
      scratch: inputs.scratch,
      statementTimeoutMs: inputs.statementTimeoutMs,
      firstChecked: inputs.firstChecked,
      severities,
      data: inputs.data,
      diff: inputs.diff,
    },
    progress,
  );
  return { suite: lintSuite(result), notes: result.notes };
}

async function listRules(): Promise<string> {
  const { ALL_RULES } = await import('../../checks/lint/rules/all-rules.js');
  // The id column is as wide as the longest id, so every summary starts in the same column.
  const width = Math.max('RULE'.length, ...ALL_RULES.map((rule) => rule.id.length));
  const lines = ALL_RULES.map((rule) => `${rule.id.padEnd(width)} ${rule.severity.padEnd(8)} ${rule.engines.join(',').padEnd(22)} ${rule.docs.summary}`);
  return `${'RULE'.padEnd(width)} ${'SEVERITY'.padEnd(8)} ${'ENGINES'.padEnd(22)} SUMMARY\n${lines.join('\n')}\n`;
}

export function migrateCommand(): Command {
  const migrate = new Command('migrate').summary('check and lint migration folders').description('Check and lint a migration folder on a throwaway database.');
  const check = migrate
    .command('check')
    .summary('apply, revert and re-apply every migration; lint it; compare with the baseline')
    .description('Prove that each migration applies, reverts exactly and re-applies, lint it, and check that the folder leaves the committed baseline schema.');
  addFolderOptions(check, 'check')
    .option('--baseline <file>', `the committed schema the folder must leave (default: ${DEFAULT_BASELINE_DIR}/schema.json)`)
    .option('-u, --update', 'write the baseline when it differs (never with --ci)')
    .option('--ci', 'never write baselines; a missing one fails (default when CI=true)')
    .option('--no-ci', 'allow writing baselines even when CI=true')
    .option('--strict-column-order', 'a column that moved counts as a difference (a down must restore the order too)')
    .option('--ignore <pattern>', 'do not compare objects whose qualified name matches this glob; repeatable', collect, [])
    .option('--ignore-kind <kind>', 'do not compare this kind of change (comments, grants…); repeatable', (value: string, previous: IgnoreKind[] = []) => [...previous, ...value.split(',').map(parseIgnoreKind)], [])
    .option('--no-lint', 'skip the lint suite (see `migrate lint`)');
  addLintOptions(check)
    .addHelpText('after', CHECK_EXAMPLES)
    .action(async (dirArgument: string | undefined, flags: CheckFlags, command: Command) => {
      const { quiet, color } = globalOptions(command);
      const progress = new Progress(quiet);
      const inputs = await folderInputs(dirArgument, flags, command, progress);
      const ci = command.getOptionValueSource('ci') === 'cli' ? flags.ci === true : process.env.CI === 'true';
      const m = inputs.config.migrations ?? {};
      const baselinePath =
        flags.baseline ?? inputs.fromConfig(m.baseline ?? (inputs.configPath === null ? undefined : `${DEFAULT_BASELINE_DIR}/schema.json`)) ?? `${DEFAULT_BASELINE_DIR}/schema.json`;
      // A bad --rule or --table-sizes fails before the long part starts.
      const lintEnabled = command.getOptionValueSource('lint') === 'cli' ? flags.lint : (inputs.config.lint?.enabled ?? true);
      const severities = lintEnabled ? await severityContext(flags, inputs) : null;
      const run = await runMigrateCheck(
        {
          set: inputs.set,
          scratch: inputs.scratch,
          statementTimeoutMs: inputs.statementTimeoutMs,
          firstChecked: inputs.firstChecked,
          baseline: { path: baselinePath, update: flags.update === true, ci },
          diff: inputs.diff,
          data: inputs.data,
        },
        progress,
      );
      const lint = severities === null ? null : await runLintSuite(severities, inputs, progress);
      // Only a folder kept for baselines (schemaguard/) is scanned for ones nothing produces any more.
      const baselineDir = resolve(baselinePath, '..');
      const obsolete = basename(baselineDir) === DEFAULT_BASELINE_DIR ? obsoleteBaselines(baselineDir, [baselinePath]) : [];
      const withNotes: CheckRun = {
        ...run,
        suites: lint === null ? run.suites : [...run.suites, lint.suite],
        notes: [...run.notes, ...(lint?.notes ?? []), ...obsolete.map((path) => `${path} is obsolete: no check produced it`)],
      };
      await report(withNotes, inputs.reporters, color);
      process.exitCode = runFailed(withNotes) ? EXIT_FAILED : EXIT_OK;
    });

  const lint = migrate
    .command('lint')
    .summary('find the hazards of each migration: locks, rewrites, destructive changes')
    .description(
      'Apply each migration to a throwaway database whose tables hold rows and report its hazards: from the schema diff of the step (every engine), the statements as the engine parses them (PostgreSQL, MySQL) and the locks each statement took (PostgreSQL).',
    );
  addFolderOptions(lint, 'lint');
  addLintOptions(lint)
    .option('--list-rules', 'print every rule with its severity, engines and summary, and exit')
    .addHelpText('after', LINT_EXAMPLES)
    .action(async (dirArgument: string | undefined, flags: FolderFlags & LintFlags & { listRules?: boolean }, command: Command) => {
      if (flags.listRules === true) {
        process.stdout.write(await listRules());
        return;
      }
      const { quiet, color } = globalOptions(command);
      const progress = new Progress(quiet);
      const started = performance.now();
      const inputs = await folderInputs(dirArgument, { ...flags, ignore: [], ignoreKind: [] }, command, progress);
      const { suite, notes } = await runLintSuite(await severityContext(flags, inputs), inputs, progress);
      const run: CheckRun = { command: 'migrate lint', suites: [suite], durationMs: performance.now() - started, notes: [...inputs.set.notes.map((n) => `${n.file.display}${n.line === null ? '' : `:${n.line}`}: ${n.message}`), ...notes] };
      await report(run, inputs.reporters, color);
      process.exitCode = runFailed(run) ? EXIT_FAILED : EXIT_OK;
    });

  migrate
    .command('table-sizes-query')
    .summary('print the query that exports row counts for --table-sizes')
    .description('Print the SQL that lists every table with its (estimated) row count as JSON. Run it on production, save the output, and pass it to `migrate lint --table-sizes FILE`.')
    .option('--dialect <engine>', 'postgres, mysql or sqlite', parseDialect)
    .addHelpText('after', TABLE_SIZES_EXAMPLES)
    .action((flags: { dialect?: Engine }, command: Command) => {
      const { config } = commandConfig(command);
      const dialect = flags.dialect ?? config.dialect;
      if (dialect === undefined) throw new SchemaguardError('which engine is production on?', { hint: 'add --dialect postgres|mysql|sqlite' });
      process.stdout.write(`${TABLE_SIZES_QUERIES[dialect].trim()}\n`);
    });
  return migrate;
}

function parseVariables(entries: readonly string[]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new SchemaguardError(`--var ${JSON.stringify(entry)} is not NAME=VALUE`, { hint: 'e.g. --var Namespace=auth' });
    variables[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return variables;
}

export function reporterTargets(specs: readonly string[]): ReporterTarget[] {
  if (specs.length === 0) return [{ name: 'pretty', file: null }];
  return specs.map((spec) => {
    const at = spec.indexOf(':');
    const name = (at < 0 ? spec : spec.slice(0, at)) as ReporterName;
    if (!REPORTER_NAMES.includes(name)) {
      throw new SchemaguardError(`unknown reporter "${name}"`, { hint: `use ${REPORTER_NAMES.join(', ')}, optionally NAME:FILE` });
    }
    return { name, file: at < 0 ? null : spec.slice(at + 1) };
  });
}

/** Every reporter gets the run; files are written atomically, the rest goes to standard output. */
export async function report(run: CheckRun, targets: readonly ReporterTarget[], color: boolean): Promise<void> {
  for (const target of targets) {
    const text = renderRun(target.name, run, target.file === null && target.name === 'pretty' && colorEnabled(process.stdout, !color));
    if (target.file === null) process.stdout.write(text);
    else await writeFileAtomic(target.file, text);
  }
}

/** A path as short as it can be printed: relative to the working directory when inside it. */
function relativeToCwd(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === '' || shown.startsWith('..') ? path : shown;
}
