/** Colour only on a TTY, never with NO_COLOR set (https://no-color.org) or --no-color. */
export function colorEnabled(stream: NodeJS.WriteStream, disabledByFlag = false): boolean {
  if (disabledByFlag) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export interface Painter {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export function painter(enabled: boolean): Painter {
  if (!enabled) {
    const plain = (text: string) => text;
    return { red: plain, green: plain, yellow: plain, dim: plain, bold: plain };
  }
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/**
 * Progress for long work, on stderr, only when a person is watching (stderr is a TTY) and
 * not with --quiet: CI logs stay clean.
 */
export class Progress {
  readonly #enabled: boolean;

  constructor(quiet: boolean, stream: NodeJS.WriteStream = process.stderr) {
    this.#enabled = !quiet && stream.isTTY === true;
  }

  step(message: string): void {
    if (this.#enabled) process.stderr.write(`${message}\n`);
  }
}
