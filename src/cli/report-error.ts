import { isSchemaguardError, messageOf } from '../core/errors.js';
import { redact } from '../core/secret.js';

/**
 * The one place errors are printed. Without --debug: one line, `schemaguard: <what> — <fix>`.
 * With --debug: the stack and the chain of causes, still with every password masked.
 */
export function formatError(error: unknown, debug: boolean): string {
  const line = isSchemaguardError(error)
    ? `schemaguard: ${error.message}${error.hint === undefined ? '' : ` — ${error.hint}`}`
    : `schemaguard: internal error: ${messageOf(error)} — run again with --debug for details, and please report it`;
  const firstLine = redact(line).replace(/\s*\n\s*/g, ' ');
  if (!debug) return `${firstLine}\n`;
  const details: string[] = [firstLine];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 6; depth += 1) {
    if (current instanceof Error) details.push(current.stack ?? `${current.name}: ${current.message}`);
    else details.push(String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) details.push('caused by:');
  }
  return `${redact(details.join('\n'))}\n`;
}
