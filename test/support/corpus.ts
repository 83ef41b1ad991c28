import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/**
 * ../shared/corpus holds real SQL from public projects. A user's clone has no ../shared:
 * tests that read it skip with a printed reason there.
 */
export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
export const corpusAvailable = existsSync(CORPUS_DIR);
if (!corpusAvailable) console.warn(`skipping corpus tests: ${CORPUS_DIR} is absent (it exists only on the development machines)`);

export function corpusPath(...parts: string[]): string {
  return join(CORPUS_DIR, ...parts);
}
