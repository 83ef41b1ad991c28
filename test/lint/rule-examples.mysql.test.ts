import { mysqlServer } from '../support/servers.js';
import { describeRuleExamples } from './rule-examples.js';

const my = await mysqlServer();
describeRuleExamples('mysql', 'the MySQL/MariaDB server', my.available ? { kind: 'server', url: my.url } : null, my.reason);
