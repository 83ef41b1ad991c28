import { describe, expect, it } from 'vitest';
import { versionKey } from '../../src/migrations/pair-by-version.js';
import { compareVersions, isSequenceNumber, nameVersion, parseNumericVersion, type MigrationVersion } from '../../src/migrations/version.js';

const v = (text: string, separators: string[] = ['.', '_', '-']): MigrationVersion => parseNumericVersion(text, separators)!;
const sorted = (texts: string[]) => texts.map((t) => v(t)).sort(compareVersions).map((x) => x.text);

describe('migration versions', () => {
  it('sort numbers by value, not by text', () => {
    expect(sorted(['10', '9', '0002', '1'])).toEqual(['1', '0002', '9', '10']);
  });

  it('sort Flyway dotted versions part by part (1.2.9 before 1.2.10), underscores being dots', () => {
    expect(sorted(['1.2.10', '1.10', '1.2.9', '1_2_11', '2', '1'])).toEqual(['1', '1.2.9', '1.2.10', '1_2_11', '1.10', '2']);
  });

  it('sort timestamps beyond 2^53 exactly', () => {
    expect(sorted(['20240101000000000001', '20240101000000000000', '9007199254740993'])).toEqual(['9007199254740993', '20240101000000000000', '20240101000000000001']);
  });

  it('sort diesel dashed timestamps', () => {
    expect(sorted(['2024-01-10-000000', '2024-01-09-235959', '00000000000000'])).toEqual(['00000000000000', '2024-01-09-235959', '2024-01-10-000000']);
  });

  it('treat 1, 01 and 1.0 as one version', () => {
    expect(compareVersions(v('1'), v('1.0'))).toBe(0);
    expect(new Set([versionKey(v('1')), versionKey(v('01')), versionKey(v('1.0'))]).size).toBe(1);
  });

  it('refuse text that is not a version', () => {
    expect([parseNumericVersion('1a'), parseNumericVersion(''), parseNumericVersion('1..2', ['.']), parseNumericVersion('1.2')]).toEqual([null, null, null, null]);
  });

  it('order Kysely names as Kysely does', () => {
    expect(['b_2', 'a_10', 'a_2'].map(nameVersion).sort(compareVersions).map((x) => x.text)).toEqual(['a_10', 'a_2', 'b_2']);
  });

  it('know a plain sequence from timestamps and dotted versions', () => {
    expect([v('0042'), v('99999'), v('20240101120000'), v('1.1')].map(isSequenceNumber)).toEqual([true, true, false, false]);
  });
});
