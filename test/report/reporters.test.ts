import { describe, expect, it } from 'vitest';
import { checkCase, runFailed, type CheckRun } from '../../src/report/check-report.js';
import { renderGithub, renderJsonReport, renderJunit, renderMarkdownReport, renderPretty } from '../../src/report/reporters.js';

const run: CheckRun = {
  command: 'migrate check',
  durationMs: 2300,
  notes: ['schemaguard/old.json is obsolete: no check produced it'],
  suites: [
    {
      name: 'migrations',
      cases: [
        checkCase({ name: '0001_users: up, down, up', status: 'passed', durationMs: 120, location: { file: 'migrations/0001_users.up.sql', line: null } }),
        checkCase({
          name: '0002_orders: down restores the schema',
          status: 'failed',
          durationMs: 80,
          message: 'public.orders_user_idx: index removed by down is not restored',
          details: '- index orders_user_idx',
          location: { file: 'migrations/0002_orders.down.sql', line: 3 },
        }),
        checkCase({ name: '0003_audit: down', status: 'skipped', message: 'no down migration' }),
      ],
    },
  ],
};

describe('reporters', () => {
  it('fail the run on an error-level failure only', () => {
    expect(runFailed(run)).toBe(true);
    expect(runFailed({ ...run, suites: [{ name: 'x', cases: [checkCase({ name: 'w', status: 'failed', severity: 'warning' })] }] })).toBe(false);
  });

  it('pretty: a line per case, the reason under a failure, a summary', () => {
    const text = renderPretty(run);
    expect(text).toContain('✓ 0001_users: up, down, up (120 ms)\n');
    expect(text).toContain('✗ 0002_orders: down restores the schema (80 ms) migrations/0002_orders.down.sql:3');
    expect(text).toContain('      public.orders_user_idx: index removed by down is not restored');
    expect(text).toContain('note: schemaguard/old.json is obsolete');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed, 1 skipped in 2.3 s');
  });

  it('junit: one testcase per step, failures and skips marked, XML escaped', () => {
    const xml = renderJunit(run);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="schemaguard migrate check" tests="3" failures="1" errors="0" skipped="1"/);
    expect(xml).toContain('<testcase classname="migrations" name="0001_users: up, down, up" time="0.120" file="migrations/0001_users.up.sql"/>');
    expect(xml).toContain('<failure message="public.orders_user_idx: index removed by down is not restored">');
    expect(xml).toContain('<skipped message="no down migration"/>');
    expect(renderJunit({ ...run, suites: [{ name: 'a<b', cases: [checkCase({ name: '"&"', status: 'passed' })] }] })).toContain('name="&quot;&amp;&quot;"');
  });

  it('github: an annotation on the file and line of each failure', () => {
    expect(renderGithub(run)).toBe(
      '::error file=migrations/0002_orders.down.sql,line=3,title=schemaguard migrations%3A 0002_orders%3A down restores the schema::public.orders_user_idx: index removed by down is not restored%0A- index orders_user_idx\n',
    );
  });

  it('markdown: a verdict, a table and the details', () => {
    const text = renderMarkdownReport(run);
    expect(text).toContain('## schemaguard migrate check: ❌ failed');
    expect(text).toContain('| ❌ | 0002_orders: down restores the schema | 80 ms |');
    expect(text).toContain('<details><summary>0002_orders: down restores the schema</summary>');
  });

  it('json: the run with a summary', () => {
    expect(JSON.parse(renderJsonReport(run))).toMatchObject({ format: 'schemaguard-report', summary: { passed: 1, failed: 1, skipped: 1, error: 0 } });
  });
});
