import { SchemaguardError, messageOf } from '../../core/errors.js';
import { redact } from '../../core/secret.js';
import { genericFailure, networkFailure, type ConnectionFailureContext } from '../connection-errors.js';

/** SQLSTATE codes a user can cause, with the fix to suggest. */
const SQLSTATE_HINTS: Record<string, { what: string; hint: string }> = {
  '28P01': { what: 'password authentication failed', hint: 'check the password in the URL or PGPASSWORD' },
  '28000': { what: 'authentication rejected', hint: 'check the user name and the server pg_hba.conf' },
  '3D000': { what: 'database does not exist', hint: 'create it, or name an existing database in the URL' },
  '57014': { what: 'statement timeout reached', hint: 'raise --timeout, or check what is slow on the server' },
  '57P03': { what: 'the server is starting up or shutting down', hint: 'wait and try again' },
  '53300': { what: 'too many connections', hint: 'close idle connections or raise max_connections' },
  '42501': { what: 'permission denied', hint: 'grant the role the privileges this command needs' },
  '25006': { what: 'the session is read-only', hint: 'this URL was opened read-only; pass it as a scratch database to write' },
};

/** Turns anything pg or PGlite threw while connecting into one clear SchemaguardError. */
export function postgresConnectionError(error: unknown, context: ConnectionFailureContext): SchemaguardError {
  if (error instanceof SchemaguardError) return error;
  const network = networkFailure(error, context);
  if (network !== undefined) return network;
  const code = (error as { code?: unknown }).code;
  const known = typeof code === 'string' ? SQLSTATE_HINTS[code] : undefined;
  const message = redact(messageOf(error));
  if (known !== undefined) {
    return new SchemaguardError(`cannot connect to PostgreSQL at ${context.target}: ${message}`, {
      hint: known.hint,
      cause: error,
    });
  }
  if (/timeout/i.test(message)) {
    return new SchemaguardError(`cannot connect to PostgreSQL at ${context.target}: connection timed out`, {
      hint: 'is the host reachable from here (firewall, VPN)?',
      cause: error,
    });
  }
  if (/SSL|TLS|certificate/i.test(message)) {
    return new SchemaguardError(`cannot connect to PostgreSQL at ${context.target}: ${message}`, {
      hint: 'check ?sslmode= in the URL (disable, require, verify-full)',
      cause: error,
    });
  }
  return genericFailure(error, context, 'connecting to');
}

/** A failure of a query, with the SQLSTATE hint where we have one. */
export function postgresQueryError(error: unknown, doing: string): SchemaguardError {
  if (error instanceof SchemaguardError) return error;
  const code = (error as { code?: unknown }).code;
  const known = typeof code === 'string' ? SQLSTATE_HINTS[code] : undefined;
  const message = redact(messageOf(error));
  return new SchemaguardError(`${doing} failed: ${message}`, known === undefined ? { cause: error } : { hint: known.hint, cause: error });
}
