import { describe, expect, it } from 'vitest';
import { compareCodePoints, compareNumbers, compareTemporal } from '../../src/snapshot/data-order.js';
import { canonicalJson, decodeRow, encodeRow, formatDouble, formatFloat32, isoDateTime, trimFraction } from '../../src/snapshot/data-values.js';

describe('canonical values', () => {
  it('writes doubles as PostgreSQL writes float8: shortest digits, fixed from 1e-4 to below 1e15', () => {
    expect([0.1, 3, 1e14, 1e15, 123456789012345, 0.0001, 0.00001, 1.5e300, -0, 0, 1e-300, NaN, Infinity, -Infinity, -2.5].map(formatDouble)).toEqual([
      '0.1', '3', '100000000000000', '1e+15', '123456789012345', '0.0001', '1e-05', '1.5e+300', '-0', '0', '1e-300', 'NaN', 'Infinity', '-Infinity', '-2.5',
    ]);
  });

  it('writes singles as PostgreSQL writes real: the shortest digits that survive single precision', () => {
    expect([0.1, 123456, 1234567, 16777217, 1e10, 0.00001].map(formatFloat32)).toEqual(['0.1', '123456', '1.234567e+06', '1.6777216e+07', '1e+10', '1e-05']);
  });

  it('writes date-times in ISO 8601 with the fraction trimmed', () => {
    expect(isoDateTime('2024-01-02 03:04:05.120000')).toBe('2024-01-02T03:04:05.12');
    expect(isoDateTime('2024-01-02 03:04:05.000000')).toBe('2024-01-02T03:04:05');
    expect(trimFraction('03:04:50.500')).toBe('03:04:50.5');
    expect(trimFraction('03:04:50')).toBe('03:04:50');
  });

  it('canonicalises JSON: sorted keys, no spaces, exact numbers, strings re-escaped', () => {
    expect(canonicalJson('{ "b": [1.0, 2E2, -0.50], "a": {"z": null, "y": "t\\u0041b\\n"} }')).toBe('{"a":{"y":"tAb\\n","z":null},"b":[1,200,-0.5]}');
    expect(canonicalJson('123456789012345678901234567890')).toBe('1.2345678901234567890123456789e+29');
    expect(canonicalJson('0.000001')).toBe('0.000001');
    expect(canonicalJson('1e-7')).toBe('1e-7');
    expect(canonicalJson('not json')).toBe('not json');
  });

  it('encodes rows as COPY text: tabs between values, \\N for NULL, control characters escaped', () => {
    const values = ['a\tb', null, 'line\nbreak \\ back', '', 'héllo 🎉'];
    const line = encodeRow(values);
    expect(line).toBe('a\\tb\t\\N\tline\\nbreak \\\\ back\t\théllo 🎉');
    expect(decodeRow(line)).toEqual(values);
  });
});

describe('key order', () => {
  it('orders numbers by value, exactly', () => {
    const numbers = ['10', '-2', '9007199254740993', '9007199254740992', '2.50', '2.5001', '-0.1', '0', '1e+20', 'NaN'];
    expect([...numbers].sort(compareNumbers)).toEqual(['-2', '-0.1', '0', '2.50', '2.5001', '10', '9007199254740992', '9007199254740993', '1e+20', 'NaN']);
  });

  it('orders timestamps by instant although the fraction is trimmed', () => {
    expect(['2024-01-02T03:04:05.5Z', '2024-01-02T03:04:05Z', '2024-01-02T03:04:05.05Z'].sort(compareTemporal)).toEqual([
      '2024-01-02T03:04:05Z', '2024-01-02T03:04:05.05Z', '2024-01-02T03:04:05.5Z',
    ]);
  });

  it('orders text by code point, characters beyond U+FFFF after the rest of the BMP', () => {
    expect(['\uffff', '🎉', 'a', 'B'].sort(compareCodePoints)).toEqual(['B', 'a', '\uffff', '🎉']);
  });
});

describe('fraction trimming', () => {
  it('trims only the fraction, never the zone after it', () => {
    expect(isoDateTime('2024-01-02 01:04:05.500+00')).toBe('2024-01-02T01:04:05.5+00');
    expect(isoDateTime('2024-01-02 01:04:05.000+00')).toBe('2024-01-02T01:04:05+00');
    expect(trimFraction('10:00:00.10')).toBe('10:00:00.1');
  });
});
