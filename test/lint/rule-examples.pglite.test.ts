import { describeRuleExamples } from './rule-examples.js';

describeRuleExamples('postgres', 'PGlite', { kind: 'pglite' }, '');
