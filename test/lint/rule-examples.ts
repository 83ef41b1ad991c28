import { describe, expect, it } from 'vitest';
import type { LintRule, RuleExample } from '../../src/checks/lint/lint-rule.js';
import { ALL_RULES } from '../../src/checks/lint/rules/all-rules.js';
import { versionAtLeast } from '../../src/core/version.js';
import type { Engine } from '../../src/dialects/engine.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import { lintSql, ruleIds } from '../support/lint.js';

/**
 * Every rule's documented examples (the ones docs/rules/<id>.md prints), run on one engine:
 * the bad migration reports exactly the rule (and the other rules the example names), the
 * safe form does not report it. One file per engine calls this, so engines run in parallel.
 */
export function describeRuleExamples(engine: Engine, target: string, scratch: ScratchTarget | null, skipReason: string, only: (rule: LintRule) => boolean = () => true): void {
  const cases = ALL_RULES.flatMap((rule) => (rule.docs.examples ?? []).map((example, index) => ({ rule, example, index }))).filter(
    ({ rule, example }) => (example.engines ?? rule.engines).includes(engine) && only(rule),
  );
  describe.skipIf(scratch === null)(`rule examples on ${target}${scratch === null ? ` (skipped: ${skipReason})` : ''}`, () => {
    it.each(cases.map((c) => [`${c.rule.id} #${c.index + 1}`, c] as const))('%s', { timeout: 120_000 }, async (_name, { rule, example }) => {
      const bad = await run(rule, example, example.bad, scratch!, engine);
      const safeFrom = example.safeFrom?.[bad.raw.server.product as 'MySQL' | 'MariaDB' | 'PostgreSQL'];
      if (safeFrom !== undefined && versionAtLeast(bad.raw.server.version, safeFrom)) {
        // A hazard of older servers: this one does it safely, and the rule must know.
        expect(ruleIds(bad)).not.toContain(rule.id);
        return;
      }
      expect(ruleIds(bad), `findings: ${JSON.stringify(bad.findings, null, 1)}\nnotes: ${bad.notes.join('; ')}`).toEqual([...new Set([rule.id, ...(example.alsoReports ?? [])])].sort());
      const safe = await run(rule, example, example.safe, scratch!, engine, example.safeTransactional);
      expect(ruleIds(safe), `findings: ${JSON.stringify(safe.findings, null, 1)}`).not.toContain(rule.id);
    });
  });
}

function run(_rule: LintRule, example: RuleExample, migration: string, scratch: ScratchTarget, engine: Engine, transactional = example.transactional) {
  return lintSql({ engine, scratch, setup: example.setup, migration, transactional: transactional ?? true });
}

/** Rules that have no example on any engine yet. */
export const rulesWithoutExamples = (): string[] => ALL_RULES.filter((rule) => (rule.docs.examples ?? []).length === 0).map((rule) => rule.id);
