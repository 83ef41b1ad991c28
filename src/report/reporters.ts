import { stableStringify } from '../snapshot/canonical.js';
import { countCases, type CheckCase, type CheckRun, type CheckSuite } from './check-report.js';
import { painter } from './terminal.js';

/** Turns a finished run into text for one destination. */
export type RenderRun = (run: CheckRun) => string;

const durations = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

export function renderPretty(run: CheckRun, color = false): string {
  const paint = painter(color);
  const icon = (c: CheckCase) =>
    c.status === 'passed' ? paint.green('✓') : c.status === 'skipped' ? paint.dim('-') : c.severity === 'error' ? paint.red('✗') : c.severity === 'warning' ? paint.yellow('!') : paint.dim('i');
  const lines: string[] = [];
  for (const suite of run.suites) {
    if (suite.cases.length === 0) continue;
    lines.push(paint.bold(suite.name));
    for (const c of suite.cases) {
      // Where a failure is matters; where a pass is does not.
      const where = c.location === null || c.status === 'passed' ? '' : paint.dim(` ${c.location.file}${c.location.line === null ? '' : `:${c.location.line}`}`);
      lines.push(`  ${icon(c)} ${c.name}${c.durationMs > 0 ? paint.dim(` (${durations(c.durationMs)})`) : ''}${where}`);
      if (c.message !== null && c.status !== 'passed') lines.push(`      ${c.message}`);
      if (c.details !== null && c.status !== 'passed') for (const line of c.details.split('\n')) lines.push(`      ${line}`);
    }
  }
  for (const note of run.notes) lines.push(paint.yellow(`note: ${note}`));
  const counts = countCases(run);
  // Failed cases that do not fail the run (lint warnings and infos) are counted apart.
  const all = run.suites.flatMap((suite) => suite.cases);
  const failing = all.filter((c) => c.status === 'failed' && c.severity === 'error').length;
  const warnings = all.filter((c) => c.status === 'failed' && c.severity === 'warning').length;
  const notices = all.filter((c) => c.status === 'failed' && c.severity === 'notice').length;
  const parts = [
    `${counts.passed} passed`,
    failing > 0 ? paint.red(`${failing} failed`) : null,
    counts.error > 0 ? paint.red(`${counts.error} errors`) : null,
    warnings > 0 ? paint.yellow(`${warnings} warning${warnings === 1 ? '' : 's'}`) : null,
    notices > 0 ? `${notices} info` : null,
    counts.skipped > 0 ? `${counts.skipped} skipped` : null,
  ].filter(Boolean);
  lines.push(`${parts.join(', ')} in ${durations(run.durationMs)}`);
  return `${lines.join('\n')}\n`;
}

export function renderJsonReport(run: CheckRun): string {
  return stableStringify({ format: 'schemaguard-report', formatVersion: 1, ...run, summary: countCases(run) });
}

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one testsuite per suite, one testcase per case (per migration step). */
export function renderJunit(run: CheckRun): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const counts = countCases(run);
  lines.push(
    `<testsuites name="schemaguard ${xml(run.command)}" tests="${counts.passed + counts.failed + counts.error + counts.skipped}" failures="${counts.failed}" errors="${counts.error}" skipped="${counts.skipped}" time="${(run.durationMs / 1000).toFixed(3)}">`,
  );
  for (const suite of run.suites) lines.push(...junitSuite(suite));
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function junitSuite(suite: CheckSuite): string[] {
  const count = (status: CheckCase['status']) => suite.cases.filter((c) => c.status === status).length;
  const time = suite.cases.reduce((sum, c) => sum + c.durationMs, 0) / 1000;
  const lines = [
    `  <testsuite name="${xml(suite.name)}" tests="${suite.cases.length}" failures="${count('failed')}" errors="${count('error')}" skipped="${count('skipped')}" time="${time.toFixed(3)}">`,
  ];
  for (const c of suite.cases) {
    const file = c.location === null ? '' : ` file="${xml(c.location.file)}"${c.location.line === null ? '' : ` line="${c.location.line}"`}`;
    const open = `    <testcase classname="${xml(suite.name)}" name="${xml(c.name)}" time="${(c.durationMs / 1000).toFixed(3)}"${file}`;
    const body = [c.message ?? '', c.details ?? ''].filter((t) => t !== '').join('\n');
    if (c.status === 'passed') lines.push(`${open}/>`);
    else if (c.status === 'skipped') lines.push(`${open}><skipped message="${xml(c.message ?? '')}"/></testcase>`);
    else {
      const tag = c.status === 'error' ? 'error' : 'failure';
      lines.push(`${open}><${tag} message="${xml(c.message ?? '')}">${xml(body)}</${tag}></testcase>`);
    }
  }
  lines.push('  </testsuite>');
  return lines;
}

/** GitHub workflow commands: an annotation on the file and line of every failure. */
export function renderGithub(run: CheckRun): string {
  const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const lines: string[] = [];
  for (const suite of run.suites) {
    for (const c of suite.cases) {
      if (c.status === 'passed' || c.status === 'skipped') continue;
      const level = c.severity === 'error' ? 'error' : c.severity === 'warning' ? 'warning' : 'notice';
      const properties = [
        c.location === null ? null : `file=${escapeProperty(c.location.file)}`,
        c.location?.line == null ? null : `line=${c.location.line}`,
        `title=${escapeProperty(`schemaguard ${suite.name}: ${c.name}`)}`,
      ].filter(Boolean);
      const message = [c.message ?? '', c.details ?? ''].filter((t) => t !== '').join('\n');
      lines.push(`::${level} ${properties.join(',')}::${escapeData(message)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Markdown for $GITHUB_STEP_SUMMARY or a pull request comment. */
export function renderMarkdownReport(run: CheckRun): string {
  const counts = countCases(run);
  const ok = counts.failed + counts.error === 0;
  const lines = [`## schemaguard ${run.command}: ${ok ? '✅ passed' : '❌ failed'}`, ''];
  lines.push(`${counts.passed} passed, ${counts.failed} failed, ${counts.error} errors, ${counts.skipped} skipped, in ${durations(run.durationMs)}.`, '');
  for (const suite of run.suites) {
    if (suite.cases.length === 0) continue;
    lines.push(`### ${suite.name}`, '', '| | check | time | details |', '| --- | --- | --- | --- |');
    for (const c of suite.cases) {
      const icon = { passed: '✅', failed: c.severity === 'error' ? '❌' : '⚠️', error: '💥', skipped: '⏭️' }[c.status];
      const where = c.location === null ? '' : ` (\`${c.location.file}${c.location.line === null ? '' : `:${c.location.line}`}\`)`;
      lines.push(`| ${icon} | ${c.name.replace(/\|/g, '\\|')} | ${durations(c.durationMs)} | ${(c.message ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ')}${where} |`);
    }
    lines.push('');
    for (const c of suite.cases) {
      if (c.details === null || c.status === 'passed') continue;
      lines.push(`<details><summary>${xml(c.name)}</summary>`, '', '```', c.details, '```', '</details>', '');
    }
  }
  for (const note of run.notes) lines.push(`> ${note}`);
  return `${lines.join('\n')}\n`;
}

export const REPORTER_NAMES = ['pretty', 'json', 'junit', 'github', 'markdown'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

export interface ReporterTarget {
  readonly name: ReporterName;
  /** null: standard output. */
  readonly file: string | null;
}

export function renderRun(name: ReporterName, run: CheckRun, color: boolean): string {
  switch (name) {
    case 'pretty':
      return renderPretty(run, color);
    case 'json':
      return renderJsonReport(run);
    case 'junit':
      return renderJunit(run);
    case 'github':
      return renderGithub(run);
    case 'markdown':
      return renderMarkdownReport(run);
  }
}
