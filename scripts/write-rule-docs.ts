// Regenerates docs/rules/<id>.md and docs/rules/README.md from the lint rules: npm run docs:rules
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderRuleDoc, renderRuleIndex } from '../src/checks/lint/rule-docs.js';
import { ALL_RULES } from '../src/checks/lint/rules/all-rules.js';

const dir = fileURLToPath(new URL('../docs/rules/', import.meta.url));
mkdirSync(dir, { recursive: true });
const wanted = new Set([...ALL_RULES.map((rule) => `${rule.id}.md`), 'README.md']);
// Pages of rules that no longer exist go.
for (const file of readdirSync(dir)) if (!wanted.has(file)) rmSync(`${dir}${file}`);
for (const rule of ALL_RULES) writeFileSync(`${dir}${rule.id}.md`, renderRuleDoc(rule));
writeFileSync(`${dir}README.md`, renderRuleIndex(ALL_RULES));
console.log(`wrote ${ALL_RULES.length} rule pages and the index to docs/rules/`);
