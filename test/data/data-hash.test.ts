import { randomBytes } from 'node:crypto';
import MurmurHash3 from 'murmurhash3js-revisited';
import { describe, expect, it } from 'vitest';
import { murmur3Hex, RowFingerprint } from '../../src/snapshot/data-hash.js';

const fingerprintOf = (rows: readonly string[]): string => {
  const fingerprint = new RowFingerprint();
  for (const row of rows) fingerprint.addLine(row);
  return fingerprint.digest();
};

describe('the row hash', () => {
  it('is MurmurHash3 x86 128-bit as the reference computes it, for every tail length and random input', () => {
    for (let length = 0; length < 300; length += 1) {
      const bytes = randomBytes(length);
      expect(murmur3Hex(bytes)).toBe(MurmurHash3.x86.hash128(bytes));
    }
  });

  it('hashes bytes in place: a row inside a larger chunk hashes as the row alone', () => {
    const chunk = Buffer.from('first row\tx\nsecond\trow\n');
    const inPlace = new RowFingerprint();
    inPlace.addBytes(chunk, 12, 22);
    expect(inPlace.digest()).toBe(fingerprintOf(['second\trow']));
  });
});

describe('the table fingerprint', () => {
  const rows = ['1\tAC/DC', '2\tAccept', '3\tAerosmith', '4\tAlanis Morissette'];

  it('does not depend on row order', () => {
    expect(fingerprintOf([...rows].reverse())).toBe(fingerprintOf(rows));
  });

  it('counts duplicate rows instead of cancelling them (a sum, not XOR)', () => {
    expect(fingerprintOf([...rows, rows[0]!, rows[0]!])).not.toBe(fingerprintOf(rows));
    expect(fingerprintOf([rows[0]!, rows[0]!])).not.toBe(fingerprintOf([]));
  });

  it('changes when one value changes', () => {
    expect(fingerprintOf(['1\tAC/DC', '2\tAccept!', '3\tAerosmith', '4\tAlanis Morissette'])).not.toBe(fingerprintOf(rows));
  });

  it('of an empty table is the algorithm and zero', () => {
    expect(fingerprintOf([])).toBe(`mmh3x86-128-sum:${'0'.repeat(32)}`);
  });

  it('carries across all 128 bits', () => {
    // Sums of many hashes wrap each 32-bit word: the result must still be the same whatever the order.
    const many = Array.from({ length: 5000 }, (_, i) => `${i}\t${'x'.repeat(i % 40)}`);
    expect(fingerprintOf(many)).toBe(fingerprintOf([...many].reverse()));
  });
});
