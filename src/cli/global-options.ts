import type { Command } from 'commander';

/** Flags every command understands. */
export interface GlobalOptions {
  readonly debug: boolean;
  readonly quiet: boolean;
  readonly color: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  const options = command.optsWithGlobals<{ debug?: boolean; quiet?: boolean; color?: boolean }>();
  return { debug: options.debug === true, quiet: options.quiet === true, color: options.color !== false };
}
