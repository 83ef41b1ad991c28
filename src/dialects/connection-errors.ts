import { SchemaguardError, messageOf } from '../core/errors.js';
import { redact } from '../core/secret.js';

/** What an engine module tells the shared error mapper about the failure. */
export interface ConnectionFailureContext {
  /** `postgres://user:***@host:5432/db`, already redacted. */
  readonly target: string;
  readonly engineName: string;
}

const NETWORK_ERRORS: Record<string, { message: string; hint: string }> = {
  ECONNREFUSED: { message: 'connection refused', hint: 'is the server running, and are host and port right?' },
  ENOTFOUND: { message: 'host not found', hint: 'check the host name in the URL' },
  EAI_AGAIN: { message: 'host name lookup failed', hint: 'check the host name and your DNS' },
  ETIMEDOUT: { message: 'connection timed out', hint: 'is the host reachable from here (firewall, VPN)?' },
  EHOSTUNREACH: { message: 'host unreachable', hint: 'is the host reachable from here (firewall, VPN)?' },
  ENETUNREACH: { message: 'network unreachable', hint: 'is the host reachable from here (firewall, VPN)?' },
  ECONNRESET: { message: 'connection reset by the server', hint: 'check TLS settings (sslmode) and server logs' },
  ENOENT: { message: 'socket not found', hint: 'check the socket path, or connect over TCP with a host' },
  EACCES: { message: 'permission denied on the socket', hint: 'check the socket permissions' },
};

/** Error codes of Node's network layer, read from an error or any error it wraps. */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code in NETWORK_ERRORS) return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      current = errors[0];
      continue;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A network-level failure as one clear line, or undefined when it is not one. */
export function networkFailure(error: unknown, context: ConnectionFailureContext): SchemaguardError | undefined {
  const code = networkErrorCode(error);
  if (code === undefined) return undefined;
  const known = NETWORK_ERRORS[code]!;
  return new SchemaguardError(`cannot connect to ${context.engineName} at ${context.target}: ${known.message}`, {
    hint: known.hint,
    cause: error,
  });
}

/** The fallback: the driver's own message, redacted, prefixed with what we were doing. */
export function genericFailure(error: unknown, context: ConnectionFailureContext, doing: string): SchemaguardError {
  if (error instanceof SchemaguardError) return error;
  const message = redact(messageOf(error)).split('\n')[0] ?? 'unknown error';
  return new SchemaguardError(`${doing} ${context.target} failed: ${message}`, { cause: error });
}
