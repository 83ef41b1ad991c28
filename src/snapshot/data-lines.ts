/**
 * Chunks of encoded rows, the unit engines stream in (ConsistentRead.scanTable): each chunk
 * holds whole rows, each ended by a newline. Batching keeps the per-row cost to a few byte
 * operations and the memory to one chunk per stream, whatever the table size.
 */

const NEWLINE = 0x0a;
const BATCH_BYTES = 256 * 1024;

/** Collects rows encoded in JavaScript into chunks of about 256 KB. */
export class RowBatcher {
  #buffer = Buffer.allocUnsafe(BATCH_BYTES);
  #used = 0;

  /** Adds a row; returns a full chunk when one is ready. */
  push(line: string): Buffer | null {
    const room = this.#buffer.length - this.#used;
    // A UTF-16 code unit is at most 3 UTF-8 bytes, plus the newline.
    if (line.length * 3 + 1 > room) {
      const full = this.flush();
      if (line.length * 3 + 1 > this.#buffer.length) this.#buffer = Buffer.allocUnsafe(line.length * 3 + 1);
      this.#write(line);
      return full;
    }
    this.#write(line);
    return null;
  }

  #write(line: string): void {
    this.#used += this.#buffer.write(line, this.#used, 'utf8');
    this.#buffer[this.#used++] = NEWLINE;
  }

  /** The rows added since the last chunk, or null when there are none. */
  flush(): Buffer | null {
    if (this.#used === 0) return null;
    const chunk = this.#buffer.subarray(0, this.#used);
    this.#buffer = Buffer.allocUnsafe(BATCH_BYTES);
    this.#used = 0;
    return chunk;
  }
}

/** Re-cuts a byte stream (COPY output) into chunks of whole lines. */
export async function* wholeLines(chunks: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<Buffer> {
  let carry: Buffer | null = null;
  for await (const piece of chunks) {
    const chunk: Buffer = carry === null ? Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength) : Buffer.concat([carry, piece]);
    const last = chunk.lastIndexOf(NEWLINE);
    if (last < 0) {
      carry = chunk;
      continue;
    }
    carry = last === chunk.length - 1 ? null : Buffer.from(chunk.subarray(last + 1));
    yield chunk.subarray(0, last + 1);
  }
  if (carry !== null && carry.length > 0) throw new Error('the row stream ended in the middle of a row');
}

/** Calls `row(chunk, start, end)` for each row of a chunk (end excludes the newline). */
export function forEachRow(chunk: Buffer, row: (chunk: Buffer, start: number, end: number) => void): void {
  let start = 0;
  for (;;) {
    const end = chunk.indexOf(NEWLINE, start);
    if (end < 0) return;
    row(chunk, start, end);
    start = end + 1;
  }
}

/** The rows of a stream of chunks, one string each (for diffs and stored rows, not for hashing). */
export async function* rowLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end < 0) break;
      yield chunk.toString('utf8', start, end);
      start = end + 1;
    }
  }
}
