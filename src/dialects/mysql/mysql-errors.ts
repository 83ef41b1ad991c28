import { SchemaguardError, messageOf } from '../../core/errors.js';
import { redact } from '../../core/secret.js';
import { genericFailure, networkFailure, type ConnectionFailureContext } from '../connection-errors.js';

/** MySQL/MariaDB error codes a user can cause, with the fix to suggest. */
const ERROR_HINTS: Record<string, string> = {
  ER_ACCESS_DENIED_ERROR: 'check the user and password in the URL or MYSQL_PWD',
  ER_ACCESS_DENIED_NO_PASSWORD_ERROR: 'this user needs a password: put it in the URL or MYSQL_PWD',
  ER_DBACCESS_DENIED_ERROR: 'grant the user access to this database',
  ER_BAD_DB_ERROR: 'create the database, or name an existing one in the URL',
  ER_HOST_NOT_PRIVILEGED: 'allow this host for the user on the server',
  ER_CON_COUNT_ERROR: 'close idle connections or raise max_connections',
  ER_QUERY_TIMEOUT: 'raise --timeout, or check what is slow on the server',
  ER_STATEMENT_TIMEOUT: 'raise --timeout, or check what is slow on the server',
  ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION: 'this URL was opened read-only; pass it as a scratch database to write',
  ER_SPECIFIC_ACCESS_DENIED_ERROR: 'grant the user the privilege this command needs',
  ER_TABLEACCESS_DENIED_ERROR: 'grant the user the privilege this command needs',
};

export function mysqlConnectionError(error: unknown, context: ConnectionFailureContext): SchemaguardError {
  if (error instanceof SchemaguardError) return error;
  const network = networkFailure(error, context);
  if (network !== undefined) return network;
  const code = (error as { code?: unknown }).code;
  const hint = typeof code === 'string' ? ERROR_HINTS[code] : undefined;
  const message = redact(messageOf(error));
  if (hint !== undefined) {
    return new SchemaguardError(`cannot connect to ${context.engineName} at ${context.target}: ${message}`, { hint, cause: error });
  }
  if (/timeout|timed out/i.test(message)) {
    return new SchemaguardError(`cannot connect to ${context.engineName} at ${context.target}: connection timed out`, {
      hint: 'is the host reachable from here (firewall, VPN)?',
      cause: error,
    });
  }
  return genericFailure(error, context, 'connecting to');
}

export function mysqlQueryError(error: unknown, doing: string): SchemaguardError {
  if (error instanceof SchemaguardError) return error;
  const code = (error as { code?: unknown }).code;
  const hint = typeof code === 'string' ? ERROR_HINTS[code] : undefined;
  const message = redact(messageOf(error));
  return new SchemaguardError(`${doing} failed: ${message}`, hint === undefined ? { cause: error } : { hint, cause: error });
}
