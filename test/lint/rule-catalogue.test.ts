import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../src/checks/lint/rules/all-rules.js';
import { rulesWithoutExamples } from './rule-examples.js';

describe('the rule catalogue', () => {
  it('has at least 40 rules with unique kebab-case ids', () => {
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(ids.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('gives every rule an example with a bad and a safe migration', () => {
    expect(rulesWithoutExamples()).toEqual([]);
  });
});
