import { inspect } from 'node:util';

const knownSecrets = new Set<string>();

/**
 * A password or token. It prints as `***` wherever it ends up (template strings, JSON,
 * console.log), and every secret ever wrapped is scrubbed from error text by `redact`.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    if (value.length > 0) knownSecrets.add(value);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '***';
  }

  toJSON(): string {
    return '***';
  }

  [inspect.custom](): string {
    return 'Secret(***)';
  }
}

/** Replaces every known secret (and its URL-encoded form) in `text` with `***`. */
export function redact(text: string): string {
  let result = text;
  for (const secret of knownSecrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      result = result.split(form).join('***');
    }
  }
  return result;
}
