import { describe, expect, it } from 'vitest';
import { expandTemplate, findPlaceholder, TemplateError } from '../../src/migrations/template-variables.js';

const failure = (source: string, variables: Record<string, string>): TemplateError => {
  try {
    expandTemplate(source, variables);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
};

describe('Go template placeholders', () => {
  it('substitutes {{ index .Options "Name" }}, inside string literals too', () => {
    const source = `create table {{ index .Options "Namespace" }}.users (id int);\nselect '{{index .Options "Namespace" }}';`;
    expect(expandTemplate(source, { Namespace: 'auth' }).text).toBe("create table auth.users (id int);\nselect 'auth';");
  });

  it('substitutes {{ .Name }} and {{ .Options.Name }}, and an empty value', () => {
    expect(expandTemplate('create table {{ .Prefix }}users; -- {{ .Options.Prefix }}', { Prefix: '' }).text).toBe('create table users; -- ');
  });

  it('drops comments and trims whitespace beside {{- and -}}', () => {
    expect(expandTemplate('a {{/* note */}}b  {{- .X -}}  c', { X: 'x' }).text).toBe('a bxc');
  });

  it('maps lines of the expanded text back to the file when a value holds newlines', () => {
    const expanded = expandTemplate('one\n{{ .Two }}\nthree\n{{ index .Options\n "Four" }}\nfive', { Two: 'two\nlines', Four: '4' });
    expect(expanded.text).toBe('one\ntwo\nlines\nthree\n4\nfive');
    expect([1, 2, 3, 4, 5, 6].map((line) => expanded.originalLine(line))).toEqual([1, 2, 2, 3, 4, 6]);
  });

  it('names the line of an unknown variable and the variables given', () => {
    const error = failure('select 1;\nselect {{ index .Options "Schema" }};', { Namespace: 'auth' });
    expect(error.line).toBe(2);
    expect(error.message).toBe('unknown template variable "Schema" in {{ index .Options "Schema" }} (given: Namespace)');
  });

  it('refuses template actions it does not implement', () => {
    expect(failure('{{ if .X }}a{{ end }}', { X: '1' }).message).toMatch(/^unsupported template action \{\{ if \.X \}\}/);
  });

  it('says when {{ is never closed', () => {
    const error = failure('a\nb {{ .X', { X: '1' });
    expect([error.line, error.message]).toEqual([2, 'unterminated template action: {{ without }}']);
  });
});

describe('finding placeholders in a file read without variables', () => {
  it('finds the first variable reference and its line', () => {
    expect(findPlaceholder("select '{{1,2},{3,4}}'::int[][];\ncreate schema {{ index .Options \"Namespace\" }};")).toEqual({
      line: 2,
      action: '{{ index .Options "Namespace" }}',
    });
  });

  it('finds none in array literals and JSON', () => {
    expect(findPlaceholder(`select '{{1,2}}'::int[][], '{"a":{"b":{}}}'::jsonb;`)).toBeNull();
  });
});
