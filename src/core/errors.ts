/**
 * Errors a user can cause (bad URL, unreachable server, malformed file…) are values of
 * this class: a one-line message naming the thing, and a hint naming the fix. The CLI is
 * the only place that prints them and picks the exit code.
 */
export class SchemaguardError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SchemaguardError';
    this.hint = options.hint;
  }
}

export function isSchemaguardError(value: unknown): value is SchemaguardError {
  return value instanceof SchemaguardError;
}

/** The message of anything thrown, without a stack. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
