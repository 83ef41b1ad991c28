import { postgresServer } from '../support/servers.js';
import { describeRuleExamples } from './rule-examples.js';

const pg = await postgresServer();
describeRuleExamples('postgres', 'the PostgreSQL server', pg.available ? { kind: 'server', url: pg.url } : null, pg.reason);
