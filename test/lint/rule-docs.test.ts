import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderRuleDoc, renderRuleIndex } from '../../src/checks/lint/rule-docs.js';
import { ALL_RULES } from '../../src/checks/lint/rules/all-rules.js';

const DIR = fileURLToPath(new URL('../../docs/rules/', import.meta.url));

describe('docs/rules', () => {
  it('has the page of every rule as the rule renders it (npm run docs:rules)', () => {
    for (const rule of ALL_RULES) {
      const path = `${DIR}${rule.id}.md`;
      expect(existsSync(path), `${path} is missing: run npm run docs:rules`).toBe(true);
      expect(readFileSync(path, 'utf8'), `${rule.id}.md is out of date: run npm run docs:rules`).toBe(renderRuleDoc(rule));
    }
    expect(readFileSync(`${DIR}README.md`, 'utf8')).toBe(renderRuleIndex(ALL_RULES));
  });

  it('has no page for a rule that does not exist', () => {
    const ids = new Set(ALL_RULES.map((rule) => `${rule.id}.md`));
    expect(readdirSync(DIR).filter((file) => file !== 'README.md' && !ids.has(file))).toEqual([]);
  });
});
