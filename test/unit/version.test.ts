import { describe, expect, it } from 'vitest';
import { versionAtLeast } from '../../src/core/version.js';

describe('versionAtLeast', () => {
  it('compares server versions part by part as numbers', () => {
    expect(versionAtLeast('10.11.9', '10.5.2')).toBe(true);
    expect(versionAtLeast('10.4.34', '10.5')).toBe(false);
    expect(versionAtLeast('8.0.29', '8.0.29')).toBe(true);
    expect(versionAtLeast('8.0.28', '8.0.29')).toBe(false);
    expect(versionAtLeast('15.19', '12')).toBe(true);
    expect(versionAtLeast('15', '15.1')).toBe(false);
  });

  it('reads versions with a suffix as the servers report them', () => {
    expect(versionAtLeast('10.11.9-MariaDB', '10.11.9')).toBe(true);
    expect(versionAtLeast('10.3.39-MariaDB-0+deb10u1', '10.4')).toBe(false);
  });
});
