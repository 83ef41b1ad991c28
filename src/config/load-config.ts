import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { SchemaguardError } from '../core/errors.js';
import { ConfigSchema, type Config } from './config-schema.js';

export const CONFIG_FILE_NAMES = ['schemaguard.yaml', 'schemaguard.yml'];

export interface LoadedConfig {
  readonly config: Config;
  /** The file it came from; null when there is none (all defaults). */
  readonly path: string | null;
}

/**
 * Finds the config: `--config FILE` if given (it must exist), else schemaguard.yaml in the
 * working directory or the nearest parent up to the repository root.
 */
export function findConfigFile(explicit: string | undefined, cwd: string = process.cwd()): string | null {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new SchemaguardError(`config file not found: ${explicit}`, { hint: 'check the path given to --config' });
    return path;
  }
  let dir = resolve(cwd);
  for (let depth = 0; depth < 32; depth += 1) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (existsSync(join(dir, '.git'))) return null;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
}

export function loadConfig(explicit?: string, cwd?: string): LoadedConfig {
  const path = findConfigFile(explicit, cwd);
  if (path === null) return { config: {}, path: null };
  return { config: parseConfig(readFileSync(path, 'utf8'), path), path };
}

/** Parses and validates config text; errors read `schemaguard.yaml:12: diff.ignoreKinds[0]: …`. */
export function parseConfig(text: string, path: string): Config {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const firstError = document.errors[0];
  if (firstError !== undefined) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    throw new SchemaguardError(`${path}:${line}: invalid YAML: ${firstError.message.split('\n')[0]}`, {
      hint: 'fix the YAML syntax (indentation, quoting)',
    });
  }
  const raw: unknown = document.toJS() ?? {};
  const result = ConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const keyPath = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
  const line = lineOf(document.contents, issue.path, lineCounter);
  const where = line === null ? path : `${path}:${line}`;
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${keyPath === '' ? '' : ` in ${keyPath}`}`
      : `${keyPath === '' ? 'config' : keyPath}: ${issue.message}`;
  throw new SchemaguardError(`${where}: ${message}`, { hint: 'see docs/configuration.md for the keys and their values' });
}

/** The line of the node at `path` (or of its nearest existing parent). */
function lineOf(root: Node | null, path: readonly PropertyKey[], lineCounter: LineCounter): number | null {
  let node: unknown = root;
  let best: number | null = null;
  const lineOfNode = (n: unknown) => {
    const range = (n as { range?: [number, number, number] } | null)?.range;
    return range === undefined ? null : lineCounter.linePos(range[0]).line;
  };
  best = lineOfNode(node);
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === part);
      if (pair === undefined) break;
      best = lineOfNode(pair.key) ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      best = lineOfNode(node) ?? best;
    } else break;
  }
  return best;
}
