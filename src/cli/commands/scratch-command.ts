import { Command } from 'commander';
import { SchemaguardError } from '../../core/errors.js';
import { describeDatabaseUrl, parseDatabaseUrl } from '../../dialects/database-url.js';
import { collectScratchGarbage } from '../../scratch/scratch-gc.js';
import { EXIT_OK } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { parseDuration } from '../options.js';

const GC_EXAMPLES = `
Examples:
  $ schemaguard scratch gc postgres://postgres@127.0.0.1:5432
  $ schemaguard scratch gc mysql://root@127.0.0.1:3306 --older-than 30m --dry-run

Only databases named schemaguard_<timestamp>_<random> are considered: the ones schemaguard
creates for checks. A run that was killed (kill -9, a lost CI runner) can leave one behind.`;

export function scratchCommand(): Command {
  const scratch = new Command('scratch').summary('manage throwaway databases').description('Manage the throwaway databases schemaguard creates on servers.');
  scratch
    .command('gc')
    .summary('drop leftover throwaway databases')
    .description('Drop throwaway databases (schemaguard_*) older than --older-than from a server.')
    .argument('<server-url>', 'postgres:// or mysql:// URL of the server')
    .option('--older-than <duration>', 'only databases older than this (90s, 30m, 1h, 2d)', parseDuration, 3_600_000)
    .option('--dry-run', 'list what would be dropped, drop nothing')
    .addHelpText('after', GC_EXAMPLES)
    .action(async (serverArgument: string, options: { olderThan: number; dryRun?: boolean }, command: Command) => {
      const url = parseDatabaseUrl(serverArgument);
      if (url.kind !== 'server') {
        throw new SchemaguardError(`${describeDatabaseUrl(url)} is not a database server`, {
          hint: 'scratch gc works on postgres:// and mysql:// servers; embedded scratch databases clean up with the process',
        });
      }
      const result = await collectScratchGarbage(url, options.olderThan, new Date(), options.dryRun === true);
      const verb = options.dryRun === true ? 'would drop' : 'dropped';
      for (const name of result.dropped) process.stdout.write(`${verb} ${name}\n`);
      if (!globalOptions(command).quiet) {
        process.stderr.write(
          `${describeDatabaseUrl(url)}: ${verb} ${result.dropped.length} throwaway database(s); kept ${result.kept.length} younger one(s)\n`,
        );
      }
      process.exitCode = EXIT_OK;
    });
  return scratch;
}
