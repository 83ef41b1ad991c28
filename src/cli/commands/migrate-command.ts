import { Command, Option } from 'commander';
import { basename, dirname, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../../baseline/atomic-write.js';
import { DEFAULT_BASELINE_DIR, obsoleteBaselines } from '../../baseline/baseline.js';
import { firstCheckedIndex, type MigrationSelection } from '../../checks/migrations/select-migrations.js';
import { runMigrateCheck } from '../../checks/migrations/migrate-check.js';
import { SchemaguardError } from '../../core/errors.js';
import { parseDatabaseUrl } from '../../dialects/database-url.js';
import type { Engine } from '../../dialects/engine.js';
import { parseIgnoreKind, type IgnoreKind } from '../../diff/ignore-rules.js';
import { readMigrationSet } from '../../migrations/read-migrations.js';
import { isMigrationFormat, MIGRATION_FORMATS, type MigrationFormat } from '../../migrations/migration.js';
import { runFailed, type CheckRun } from '../../report/check-report.js';
import { renderRun, REPORTER_NAMES, type ReporterName, type ReporterTarget } from '../../report/reporters.js';
import { colorEnabled, Progress } from '../../report/terminal.js';
import { defaultScratchTarget, scratchTargetFromUrl, type ScratchTarget } from '../../scratch/scratch-target.js';
import { commandConfig, resolveOption } from '../command-config.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { collect, parseDialect, parseScratch, parseTimeoutSeconds } from '../options.js';
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

Exit status: 0 all checks passed, 1 a check failed, 2 error (bad folder, SQL error in a
migration the checks could not run, unreachable scratch server…).`;

interface CheckFlags {
  format?: string;
  dialect?: Engine;
  scratch?: ScratchTarget;
  baseline?: string;
  update?: boolean;
  ci?: boolean;
  from?: string;
  gitBase?: string;
  seed?: string;
  timeout: number;
  reporter: string[];
  var: string[];
  allowVersionGaps?: boolean;
  strictColumnOrder?: boolean;
  ignore: string[];
  ignoreKind: IgnoreKind[];
}

export function migrateCommand(): Command {
  const migrate = new Command('migrate').summary('check migration folders').description('Check a migration folder on a throwaway database.');
  migrate
    .command('check')
    .summary('apply, revert and re-apply every migration; compare with the baseline')
    .description('Prove that each migration applies, reverts exactly and re-applies, and that the folder leaves the committed baseline schema.')
    .argument('[dir]', 'the migration folder (default: migrations.dir in the config, else ./migrations)')
    .addOption(new Option('--format <format>', 'the folder format, instead of detecting it').choices([...MIGRATION_FORMATS]))
    .option('--dialect <engine>', 'engine the migrations are written for: postgres, mysql or sqlite', parseDialect)
    .option('--scratch <url>', 'where the throwaway database is made (default: PGlite / SQLite temp file; MySQL needs a server or docker: URL)', parseScratch)
    .option('--baseline <file>', `the committed schema the folder must leave (default: ${DEFAULT_BASELINE_DIR}/schema.json)`)
    .option('-u, --update', 'write the baseline when it differs (never with --ci)')
    .option('--ci', 'never write baselines; a missing one fails (default when CI=true)')
    .option('--no-ci', 'allow writing baselines even when CI=true')
    .option('--from <version>', 'check migrations from this version on; earlier ones only build the base schema')
    .option('--git-base <ref>', 'check only the migrations this branch adds compared with <ref> (e.g. origin/main)')
    .option('--seed <dataset>', 'load this dataset before the first checked migration and check its rows survive')
    .option('--timeout <seconds>', 'statement timeout: a migration that hangs longer fails', parseTimeoutSeconds, 60)
    .option('--reporter <name[:file]>', 'pretty, json, junit, github or markdown, to stdout or a file; repeatable', collect, [])
    .option('--var <name=value>', 'value for a template placeholder such as {{ index .Options "Namespace" }}; repeatable', collect, [])
    .option('--allow-version-gaps', 'accept gaps in sequential versions (0001, 0003)')
    .option('--strict-column-order', 'a column that moved counts as a difference (a down must restore the order too)')
    .option('--ignore <pattern>', 'do not compare objects whose qualified name matches this glob; repeatable', collect, [])
    .option('--ignore-kind <kind>', 'do not compare this kind of change (comments, grants…); repeatable', (value: string, previous: IgnoreKind[] = []) => [...previous, ...value.split(',').map(parseIgnoreKind)], [])
    .addHelpText('after', CHECK_EXAMPLES)
    .action(async (dirArgument: string | undefined, flags: CheckFlags, command: Command) => {
      const { quiet, color } = globalOptions(command);
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
      const progress = new Progress(quiet);
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
        gitBase !== undefined ? { kind: 'git-base', ref: gitBase, folder } : from !== undefined ? { kind: 'from', version: from } : { kind: 'all' };
      const scratch = flags.scratch ?? (config.scratch === undefined ? defaultScratchTarget(dialect) : scratchTargetFromUrl(parseDatabaseUrl(config.scratch)));
      const ci = command.getOptionValueSource('ci') === 'cli' ? flags.ci === true : process.env.CI === 'true';
      const baselinePath = flags.baseline ?? fromConfig(m.baseline ?? (configPath === null ? undefined : `${DEFAULT_BASELINE_DIR}/schema.json`)) ?? `${DEFAULT_BASELINE_DIR}/schema.json`;
      const seed = flags.seed ?? fromConfig(m.seed);
      const run = await runMigrateCheck(
        {
          set,
          scratch,
          statementTimeoutMs: resolveOption(command, 'timeout', config.timeout) * 1000,
          firstChecked: firstCheckedIndex(set.migrations, selection),
          baseline: { path: baselinePath, update: flags.update === true, ci },
          diff: {
            strictColumnOrder: resolveOption(command, 'strictColumnOrder', config.diff?.strictColumnOrder) === true,
            patterns: [...flags.ignore, ...(config.diff?.ignore ?? [])],
            kinds: [...flags.ignoreKind, ...(config.diff?.ignoreKinds ?? [])],
          },
          data: seed === undefined ? null : await dataGuardFor(seed, m.transforms ?? {}),
        },
        progress,
      );
      // Only a folder kept for baselines (schemaguard/) is scanned for ones nothing produces any more.
      const baselineDir = resolve(baselinePath, '..');
      const obsolete = basename(baselineDir) === DEFAULT_BASELINE_DIR ? obsoleteBaselines(baselineDir, [baselinePath]) : [];
      const withNotes: CheckRun = { ...run, notes: [...run.notes, ...obsolete.map((path) => `${path} is obsolete: no check produced it`)] };
      await report(withNotes, reporterTargets(flags.reporter.length > 0 ? flags.reporter : (m.reporters ?? [])), color);
      process.exitCode = runFailed(withNotes) ? EXIT_FAILED : EXIT_OK;
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
