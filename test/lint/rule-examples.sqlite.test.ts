import { describeRuleExamples } from './rule-examples.js';

describeRuleExamples('sqlite', 'SQLite', { kind: 'sqlite' }, '');
