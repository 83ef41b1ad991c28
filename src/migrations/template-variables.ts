/**
 * Go template placeholders in migration files. Tools built on pop (supabase-auth, netlify
 * gotrue, ory kratos) run every migration file through Go's text/template first, so files say
 * `{{ index .Options "Namespace" }}` where the schema name goes, even inside string literals.
 * This is the small part of text/template those files use, read by a parser of the template
 * syntax (never a pattern over the SQL):
 *
 *   {{ .Name }}   {{ .Options.Name }}   {{ index .Options "Name" }}   {{ index . "Name" }}
 *   {{/* a comment *\/}}   and the {{- … -}} markers that trim the whitespace beside them.
 *
 * Anything else in `{{ … }}` is an error naming its line, as is a variable not given.
 */

export interface ExpandedTemplate {
  readonly text: string;
  /** The line of the template a line of the expanded text came from (values may hold newlines). */
  originalLine(expandedLine: number): number;
}

export class TemplateError extends Error {
  /** 1-based line of the template action. */
  readonly line: number;

  constructor(message: string, line: number) {
    super(message);
    this.name = 'TemplateError';
    this.line = line;
  }
}

/**
 * The first `{{ … }}` that reads as a variable reference, or null: for saying that a file
 * read without variables looks like a template.
 */
export function findPlaceholder(source: string): { line: number; action: string } | null {
  for (let open = source.indexOf('{{'); open >= 0; open = source.indexOf('{{', open + 2)) {
    const close = source.indexOf('}}', open + 2);
    if (close < 0) return null;
    let body = source.slice(open + 2, close);
    if (body.startsWith('- ')) body = body.slice(1);
    if (body.endsWith(' -')) body = body.slice(0, -1);
    body = body.trim();
    const action = tryParseAction(body);
    if (action?.kind === 'variable') return { line: 1 + countNewlines(source, 0, open), action: `{{ ${body} }}` };
  }
  return null;
}

export function expandTemplate(source: string, variables: Readonly<Record<string, string>>): ExpandedTemplate {
  let text = '';
  // origins[i] = template line of expanded line i + 1.
  const origins: number[] = [1];
  let line = 1;
  const emit = (chunk: string, literal: boolean): void => {
    for (const ch of chunk) {
      text += ch;
      if (ch === '\n') {
        if (literal) line += 1;
        origins.push(line);
      }
    }
  };
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      emit(source.slice(at), true);
      break;
    }
    const close = source.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError('unterminated template action: {{ without }}', line + countNewlines(source, at, open));
    let literal = source.slice(at, open);
    let body = source.slice(open + 2, close);
    const trimBefore = body.startsWith('- ') || body.startsWith('-\t') || body.startsWith('-\n');
    const trimAfter = body.endsWith(' -') || body.endsWith('\t-') || body.endsWith('\n-');
    if (trimBefore) {
      body = body.slice(1);
      const kept = literal.trimEnd();
      line += countNewlines(literal, kept.length, literal.length);
      literal = kept;
    }
    if (trimAfter) body = body.slice(0, -1);
    emit(literal, true);
    const actionLine = line;
    const value = evaluateAction(body.trim(), variables, actionLine);
    emit(value, false);
    line += countNewlines(body, 0, body.length);
    at = close + 2;
    if (trimAfter) {
      let end = at;
      while (end < source.length && /\s/.test(source[end]!)) end += 1;
      line += countNewlines(source, at, end);
      at = end;
    }
  }
  return {
    text,
    originalLine: (expandedLine) => origins[expandedLine - 1] ?? line,
  };
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = from; at < to; at += 1) if (text[at] === '\n') count += 1;
  return count;
}

type ActionToken = { readonly kind: 'field'; readonly path: readonly string[] } | { readonly kind: 'word' | 'string'; readonly value: string };

type Action = { readonly kind: 'comment' } | { readonly kind: 'variable'; readonly name: string };

const UNSUPPORTED = 'only {{ .Name }} and {{ index .Options "Name" }} are substituted';

/** The action in `{{ body }}`, or null when it is not one this parser implements. */
function tryParseAction(body: string): Action | null {
  if (body.startsWith('/*') && body.endsWith('*/')) return { kind: 'comment' };
  const tokens = tokenizeAction(body);
  if (tokens === null) return null;
  const [first, second, third] = tokens;
  if (tokens.length === 1 && first?.kind === 'field' && (first.path.length === 1 || (first.path.length === 2 && first.path[0] === 'Options'))) {
    return { kind: 'variable', name: first.path.at(-1)! };
  }
  if (
    tokens.length === 3 &&
    first?.kind === 'word' &&
    first.value === 'index' &&
    second?.kind === 'field' &&
    (second.path.length === 0 || (second.path.length === 1 && second.path[0] === 'Options')) &&
    third?.kind === 'string'
  ) {
    return { kind: 'variable', name: third.value };
  }
  return null;
}

function evaluateAction(body: string, variables: Readonly<Record<string, string>>, line: number): string {
  const shown = `{{ ${body} }}`;
  const action = tryParseAction(body);
  if (action === null) throw new TemplateError(`unsupported template action ${shown}: ${UNSUPPORTED}`, line);
  if (action.kind === 'comment') return '';
  const value = Object.hasOwn(variables, action.name) ? variables[action.name] : undefined;
  if (value === undefined) {
    const known = Object.keys(variables);
    throw new TemplateError(
      `unknown template variable ${JSON.stringify(action.name)} in ${shown}${known.length === 0 ? ' (no variables were given)' : ` (given: ${known.join(', ')})`}`,
      line,
    );
  }
  return value;
}

function tokenizeAction(body: string): ActionToken[] | null {
  const tokens: ActionToken[] = [];
  let at = 0;
  const isNameChar = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9_]/.test(ch);
  while (at < body.length) {
    const ch = body[at]!;
    if (/\s/.test(ch)) {
      at += 1;
    } else if (ch === '.') {
      const path: string[] = [];
      while (body[at] === '.') {
        let end = at + 1;
        while (isNameChar(body[end])) end += 1;
        if (end > at + 1) path.push(body.slice(at + 1, end));
        at = end;
      }
      tokens.push({ kind: 'field', path });
    } else if (ch === '"') {
      let value = '';
      let end = at + 1;
      for (; end < body.length && body[end] !== '"'; end += 1) {
        if (body[end] === '\\') end += 1;
        value += body[end] ?? '';
      }
      if (end >= body.length) return null;
      tokens.push({ kind: 'string', value });
      at = end + 1;
    } else if (ch === '`') {
      const end = body.indexOf('`', at + 1);
      if (end < 0) return null;
      tokens.push({ kind: 'string', value: body.slice(at + 1, end) });
      at = end + 1;
    } else if (isNameChar(ch)) {
      let end = at + 1;
      while (isNameChar(body[end])) end += 1;
      tokens.push({ kind: 'word', value: body.slice(at, end) });
      at = end;
    } else {
      return null;
    }
  }
  return tokens;
}
