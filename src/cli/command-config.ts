import type { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';

let cached: { key: string; loaded: LoadedConfig } | undefined;

/** The config file for this run (`--config FILE`, or schemaguard.yaml found from the working directory). */
export function commandConfig(command: Command): LoadedConfig {
  const explicit = command.optsWithGlobals<{ config?: string }>().config;
  const key = `${explicit ?? ''}\u0000${process.cwd()}`;
  if (cached?.key !== key) cached = { key, loaded: loadConfig(explicit) };
  return cached.loaded;
}

/**
 * A flag given on the command line wins; otherwise the config file's value; otherwise the
 * flag's default.
 */
export function resolveOption<T>(command: Command, flag: string, configValue: T | undefined): T {
  const source = command.getOptionValueSource(flag);
  const flagValue = command.getOptionValue(flag) as T;
  if (source === 'cli' || configValue === undefined) return flagValue;
  return configValue;
}
