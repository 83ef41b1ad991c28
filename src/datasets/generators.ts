import type { Faker } from '@faker-js/faker';
import { z } from 'zod';
import { messageOf } from '../core/errors.js';
import { datasetError, NumberText, type GeneratorSpec, type GeneratorType, type Literal, type SourceLocation } from './model.js';
import { librarySeed, uniform, uniformInt } from './random.js';
import { closest } from './suggest.js';
import { nodeAt, toPlain, type SourceNode } from './source-tree.js';
import { dayNumber, epochMs, formatDate, fromDayNumber, parseDate, parseTimestamp } from './temporal.js';

/** The `$…` keys that make a value generated, and the generator each names. */
export const GENERATOR_KEYS: Readonly<Record<string, GeneratorType>> = {
  $sequence: 'sequence',
  $number: 'number',
  $date: 'date',
  $timestamp: 'timestamp',
  $pick: 'pick',
  $oneOf: 'oneOf',
  $fake: 'fake',
};

const integer = z.number().int().refine(Number.isSafeInteger, 'must be an integer between -(2^53-1) and 2^53-1');
const dateText = z.string().refine((text) => parseDate(text) !== null, 'must be a date: YYYY-MM-DD');
const timestampText = z.string().refine((text) => parseTimestamp(text) !== null, 'must be a timestamp: YYYY-MM-DD[ HH:MM[:SS]][+HH:MM]');
const methodText = z.string().regex(/^[a-z][A-Za-z]*\.[a-z][A-Za-z0-9]*$/, 'must name a faker method: module.method, e.g. person.fullName');

const ARGUMENT_SCHEMAS = {
  sequence: z.union([
    integer,
    z.strictObject({
      start: integer.optional(),
      step: integer.refine((step) => step !== 0, 'must not be 0').optional(),
      format: z.string().includes('{n}', { message: 'must contain {n}, where the number goes' }).optional(),
    }),
  ]),
  number: z
    .strictObject({ min: z.number(), max: z.number(), decimals: z.number().int().min(0).max(15).optional() })
    .refine((range) => range.min <= range.max, { message: 'min must not be greater than max', path: ['max'] }),
  date: z
    .strictObject({ from: dateText, to: dateText })
    .refine((range) => range.from <= range.to, { message: '`from` must not be after `to`', path: ['to'] }),
  timestamp: z
    .strictObject({ from: timestampText, to: timestampText })
    .refine((range) => epochMs(parseTimestamp(range.from)!) <= epochMs(parseTimestamp(range.to)!), { message: '`from` must not be after `to`', path: ['to'] }),
  pick: z.union([z.string().min(1), z.strictObject({ table: z.string().min(1), column: z.string().min(1).optional() })]),
  oneOf: z.union([
    z.array(z.unknown()).min(1, 'needs at least one value'),
    z
      .strictObject({ values: z.array(z.unknown()).min(1, 'needs at least one value'), weights: z.array(z.number().nonnegative()).optional() })
      .refine((choice) => choice.weights === undefined || choice.weights.length === choice.values.length, { message: 'needs one weight per value', path: ['weights'] })
      .refine((choice) => choice.weights === undefined || choice.weights.some((weight) => weight > 0), { message: 'needs a weight above 0', path: ['weights'] }),
  ]),
  fake: z.union([methodText, z.strictObject({ method: methodText, args: z.array(z.unknown()).optional() })]),
} as const;

const EXAMPLES: Readonly<Record<GeneratorType, string>> = {
  sequence: '{ $sequence: 1 } or { $sequence: { start: 1, step: 1, format: "user{n}@example.com" } }',
  number: '{ $number: { min: 1, max: 500, decimals: 2 } }',
  date: '{ $date: { from: 2024-01-01, to: 2024-12-31 } }',
  timestamp: '{ $timestamp: { from: "2024-01-01 00:00", to: "2024-12-31 23:59:59" } }',
  pick: '{ $pick: users } or { $pick: { table: users, column: email } }',
  oneOf: '{ $oneOf: [pending, paid, shipped] } or { $oneOf: { values: [a, b], weights: [3, 1] } }',
  fake: '{ $fake: person.fullName } or { $fake: { method: lorem.words, args: [3] } }',
};

/** Reads the argument of a `$…` generator, or throws naming the line and showing an example. */
export function parseGenerator(type: GeneratorType, node: SourceNode, at: SourceLocation): GeneratorSpec {
  const parsed = ARGUMENT_SCHEMAS[type].safeParse(toPlain(node));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length === 0 ? at : nodeAt(node, issue.path).at;
    const field = issue.path.length === 0 ? '' : ` ${issue.path.join('.')}`;
    throw datasetError(where, `$${type}${field}: ${issueText(issue)}`, `write it as ${EXAMPLES[type]}`);
  }
  const value = parsed.data as never;
  switch (type) {
    case 'sequence': {
      const argument = value as z.infer<(typeof ARGUMENT_SCHEMAS)['sequence']>;
      return typeof argument === 'number'
        ? { type, start: argument, step: 1, format: null }
        : { type, start: argument.start ?? 1, step: argument.step ?? 1, format: argument.format ?? null };
    }
    case 'number': {
      const argument = value as z.infer<(typeof ARGUMENT_SCHEMAS)['number']>;
      const decimals = argument.decimals ?? 0;
      if (decimals === 0 && Math.ceil(argument.min) > Math.floor(argument.max)) {
        throw datasetError(at, `$number: no integer lies between ${argument.min} and ${argument.max}`, 'widen the range, or give `decimals`');
      }
      return { type, min: argument.min, max: argument.max, decimals };
    }
    case 'date': {
      const argument = value as z.infer<(typeof ARGUMENT_SCHEMAS)['date']>;
      return { type, fromDay: dayNumber(parseDate(argument.from)!), toDay: dayNumber(parseDate(argument.to)!) };
    }
    case 'timestamp': {
      const argument = value as z.infer<(typeof ARGUMENT_SCHEMAS)['timestamp']>;
      return { type, fromMs: epochMs(parseTimestamp(argument.from)!), toMs: epochMs(parseTimestamp(argument.to)!) };
    }
    case 'pick': {
      const argument = value as z.infer<(typeof ARGUMENT_SCHEMAS)['pick']>;
      return typeof argument === 'string' ? { type, table: argument, column: null } : { type, table: argument.table, column: argument.column ?? null };
    }
    case 'oneOf': {
      const list = node.kind === 'list' ? node : node.kind === 'map' ? nodeAt(node, ['values']).node : node;
      const values = list.kind === 'list' ? list.items.map(toLiteral) : [];
      const argument = value as z.infer<(typeof ARGUMENT_SCHEMAS)['oneOf']>;
      return { type, values, weights: Array.isArray(argument) ? null : (argument.weights ?? null) };
    }
    case 'fake': {
      const argument = value as z.infer<(typeof ARGUMENT_SCHEMAS)['fake']>;
      return typeof argument === 'string' ? { type, method: argument, args: [] } : { type, method: argument.method, args: argument.args ?? [] };
    }
  }
}

/** A source node as a literal value, numbers keeping the text they were written as. */
export function toLiteral(node: SourceNode): Literal {
  switch (node.kind) {
    case 'scalar':
      return typeof node.value === 'number' ? new NumberText(node.value, node.text ?? String(node.value)) : node.value;
    case 'list':
      return node.items.map(toLiteral);
    case 'map': {
      const result: Record<string, Literal> = {};
      for (const entry of node.entries) result[entry.key] = toLiteral(entry.value);
      return result;
    }
  }
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  if (issue.code === 'invalid_union') return 'not one of the accepted forms';
  return issue.message;
}

// ---------------------------------------------------------------------------------------
// Running generators

/** Values of one generated column: `valueAt(i)` is row i's value (calls come in row order). */
export interface ValueGenerator {
  valueAt(index: number): unknown;
}

export interface GeneratorDependencies {
  /** The key values a `$pick` chooses among, in a stable order. */
  readonly pickKeys: readonly unknown[] | null;
  /** Keep `$fake` values for rows asked for again (written rows only; generated rows stream). */
  readonly remember: boolean;
}

/**
 * A generator for one stream (a column of a table, or one cell). Everything but `$fake` is
 * counter-based: row i's value depends on the key and i alone.
 */
export async function createGenerator(spec: GeneratorSpec, key: number, dependencies: GeneratorDependencies): Promise<ValueGenerator> {
  if (spec.type === 'fake') return fakeGenerator(spec, key, dependencies.remember);
  return counterGenerator(spec, key, dependencies);
}

/**
 * `$fake` draws from a faker instance seeded from the stream key: row i's value is the
 * (i+1)th draw. Rows asked for ahead of the cursor are drawn in order, skipping; with
 * `remember` (written rows, which a `$ref` may ask for out of order) every value is kept.
 */
async function fakeGenerator(spec: Extract<GeneratorSpec, { type: 'fake' }>, key: number, remember: boolean): Promise<ValueGenerator> {
  const faker = await newFaker(librarySeed(key));
  const method = fakerMethod(faker, spec.method);
  if (method === null) throw new Error(`faker has no method ${spec.method}`);
  const args = [...spec.args];
  const kept = new Map<number, unknown>();
  let next = 0;
  return {
    valueAt: (index) => {
      if (index < next) {
        if (!kept.has(index)) throw new Error(`$fake values are drawn in row order; row ${index + 1} was asked for after row ${next}`);
        return kept.get(index);
      }
      let value: unknown;
      while (next <= index) {
        value = method(...args);
        if (remember) kept.set(next, value);
        next += 1;
      }
      return value;
    },
  };
}

async function counterGenerator(spec: Exclude<GeneratorSpec, { type: 'fake' }>, key: number, dependencies: GeneratorDependencies): Promise<ValueGenerator> {
  switch (spec.type) {
    case 'sequence':
      return {
        valueAt: (index) => {
          const n = spec.start + index * spec.step;
          return spec.format === null ? new NumberText(n, String(n)) : spec.format.replaceAll('{n}', String(n));
        },
      };
    case 'number':
      if (spec.decimals === 0) {
        const min = Math.ceil(spec.min);
        const max = Math.floor(spec.max);
        return { valueAt: (index) => numberText(uniformInt(key, index, min, max), 0) };
      }
      return {
        valueAt: (index) => {
          const scale = 10 ** spec.decimals;
          const value = Math.min(spec.max, Math.round((spec.min + uniform(key, index) * (spec.max - spec.min)) * scale) / scale);
          return numberText(value, spec.decimals);
        },
      };
    case 'date':
      return { valueAt: (index) => formatDate(fromDayNumber(uniformInt(key, index, spec.fromDay, spec.toDay))) };
    case 'timestamp': {
      const from = Math.ceil(spec.fromMs / 1000);
      const to = Math.max(from, Math.floor(spec.toMs / 1000));
      return { valueAt: (index) => new Date(uniformInt(key, index, from, to) * 1000) };
    }
    case 'pick': {
      const keys = dependencies.pickKeys ?? [];
      return { valueAt: (index) => keys[uniformInt(key, index, 0, keys.length - 1)] };
    }
    case 'oneOf': {
      const values = spec.values;
      if (spec.weights === null) return { valueAt: (index) => values[uniformInt(key, index, 0, values.length - 1)] };
      const cumulative: number[] = [];
      let total = 0;
      for (const weight of spec.weights) cumulative.push((total += weight));
      return {
        valueAt: (index) => {
          const target = uniform(key, index) * total;
          const position = cumulative.findIndex((bound) => target < bound);
          return values[position < 0 ? values.length - 1 : position];
        },
      };
    }
  }
}

/** Whether `$nulls` turns row i into NULL. */
export function isNullRow(key: number, index: number, share: number): boolean {
  return share > 0 && uniform(key, index, 0x6e75) < share;
}

function numberText(value: number, decimals: number): NumberText {
  return new NumberText(value, decimals === 0 ? String(value) : value.toFixed(decimals));
}

// ---------------------------------------------------------------------------------------
// faker, loaded only by datasets that use $fake

let fakerModule: Promise<typeof import('@faker-js/faker')> | undefined;

async function newFaker(seed: number): Promise<Faker> {
  const { Faker, en, base } = await (fakerModule ??= import('@faker-js/faker'));
  return new Faker({ locale: [en, base], seed });
}

function fakerMethod(faker: Faker, path: string): ((...args: unknown[]) => unknown) | null {
  const [moduleName, methodName] = path.split('.') as [string, string];
  const module = (faker as unknown as Record<string, unknown>)[moduleName];
  if (module === null || typeof module !== 'object' || moduleName.startsWith('_')) return null;
  const method = (module as Record<string, unknown>)[methodName];
  return typeof method === 'function' ? (method as (...args: unknown[]) => unknown).bind(module) : null;
}

/** Checks that every `$fake` names a faker method, before anything is loaded. */
export async function checkFakeMethods(uses: readonly { readonly method: string; readonly at: SourceLocation }[]): Promise<void> {
  if (uses.length === 0) return;
  const faker = await newFaker(1);
  for (const use of uses) {
    if (fakerMethod(faker, use.method) !== null) continue;
    const [moduleName, methodName] = use.method.split('.') as [string, string];
    const module = (faker as unknown as Record<string, unknown>)[moduleName];
    const names = module !== null && typeof module === 'object' && !moduleName.startsWith('_') ? methodNames(module) : null;
    const near = names === null ? null : closest(methodName, names);
    const hint =
      near !== null
        ? `did you mean ${moduleName}.${near}?`
        : names !== null
          ? `${moduleName} has ${names.slice(0, 12).join(', ')}…`
          : 'common ones: person.fullName, person.firstName, internet.email, internet.username, lorem.word, lorem.sentence, lorem.paragraph, commerce.productName, location.city, string.uuid (https://fakerjs.dev/api/)';
    throw datasetError(use.at, `$fake: faker has no method ${use.method}`, hint);
  }
}

function methodNames(module: object): string[] {
  const names = Object.getOwnPropertyNames(Object.getPrototypeOf(module) as object);
  return names.filter((name) => !name.startsWith('_') && name !== 'constructor' && typeof (module as Record<string, unknown>)[name] === 'function').sort();
}

/** Calls a faker method, turning its errors (bad arguments) into one located line. */
export function fakeCallError(error: unknown, spec: { method: string }, at: SourceLocation): Error {
  return datasetError(at, `$fake ${spec.method} failed: ${messageOf(error)}`, 'check the arguments against https://fakerjs.dev/api/');
}
