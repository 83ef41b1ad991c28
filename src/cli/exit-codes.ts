/** Exit codes CI can act on. */
export const EXIT_OK = 0;
/** The check ran and found something: differences, failed migrations, findings at error level. */
export const EXIT_FAILED = 1;
/** The check could not run: bad input, unreachable database, internal error. */
export const EXIT_ERROR = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILED | typeof EXIT_ERROR;
