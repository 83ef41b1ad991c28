import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SchemaguardError } from '../core/errors.js';

/**
 * Writes `content` to `path` so that readers see the old file or the new one, never half of
 * either: a temp file beside it, fsync, rename over. On failure the temp file is removed
 * and the original is untouched.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await ensureDirectory(directory);
    const handle = await open(temporary, 'w', 0o644);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    const code = (error as { code?: string }).code;
    const reason =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOENT' || code === 'ENOTDIR'
          ? 'the folder does not exist and cannot be created'
          : code === 'EISDIR'
            ? 'it is a directory'
            : code === 'ENOSPC'
              ? 'no space left on the device'
              : ((error as Error).message ?? String(error));
    throw new SchemaguardError(`cannot write ${path}: ${reason}`, { hint: 'choose a path you can write to', cause: error });
  }
}

/**
 * Creates the missing folders one level at a time. (`mkdir -p` semantics, without Node's
 * recursive mkdir, which spins forever on paths such as /proc/x.)
 */
async function ensureDirectory(directory: string): Promise<void> {
  const missing: string[] = [];
  let current = directory;
  for (let depth = 0; depth < 64; depth += 1) {
    try {
      const info = await stat(current);
      if (!info.isDirectory()) throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      missing.unshift(current);
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const folder of missing) await mkdir(folder);
}
