import { CommanderError } from 'commander';
import { runAllCleanups } from '../scratch/cleanup.js';
import { EXIT_ERROR, EXIT_OK } from './exit-codes.js';
import { createProgram } from './program.js';
import { formatError } from './report-error.js';

/** Every subcommand and nested subcommand exits with a usage error (2), never commander's 1. */
function applyExitOverride(command: ReturnType<typeof createProgram>): void {
  command.exitOverride();
  for (const child of command.commands) applyExitOverride(child);
}

/** Runs the CLI and returns the exit code; never throws. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  applyExitOverride(program);
  const debug = argv.includes('--debug') || process.env.SCHEMAGUARD_DEBUG === '1';
  try {
    process.exitCode = undefined;
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version "fail" with exit code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    process.stderr.write(formatError(error, debug));
    return EXIT_ERROR;
  } finally {
    await runAllCleanups();
  }
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => (stream.write('') ? resolve() : stream.once('drain', () => resolve())));
}

/** Entry point of bin/schemaguard: runs, flushes output, exits with the code (open handles do not keep it alive). */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const code = await run(argv);
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(code);
}
