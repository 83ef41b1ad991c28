import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalizeSnapshot, parseSnapshot, serializeSnapshot } from '../../src/snapshot/canonical.js';
import { snapshotJsonSchemaText } from '../../src/snapshot/json-schema.js';
import type { SchemaSnapshot } from '../../src/snapshot/model.js';

const empty = (): SchemaSnapshot => ({
  format: 'schemaguard-snapshot',
  formatVersion: 1,
  engine: 'sqlite',
  server: { product: 'SQLite', version: '3.46.0' },
  namespaces: [{ name: 'main', comment: null }],
  tables: [],
  views: [],
  sequences: [],
  types: [],
  routines: [],
  triggers: [],
  extensions: [],
  events: [],
  rules: [],
  eventTriggers: [],
});

const table = (name: string) => ({
  schema: 'main',
  name,
  columns: [],
  primaryKey: null,
  uniqueConstraints: [],
  foreignKeys: [],
  checks: [],
  exclusions: [],
  indexes: [],
  policies: [],
  partitioning: null,
  partitionOf: null,
  inherits: [],
  options: {},
  comment: null,
});

describe('snapshot file format', () => {
  it('ships a JSON Schema that matches the model (run npm run schema:json after changing the model)', () => {
    const committed = readFileSync(new URL('../../docs/snapshot.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(snapshotJsonSchemaText());
  });

  it('sorts named objects and object keys so equal schemas serialise identically', () => {
    const a = { ...empty(), tables: [table('b'), table('a')] };
    const b = { ...empty(), tables: [table('a'), table('b')] };
    const text = serializeSnapshot(a);
    expect(text).toBe(serializeSnapshot(b));
    expect(text.indexOf('"name": "a"')).toBeLessThan(text.indexOf('"name": "b"'));
    expect(text.endsWith('\n')).toBe(true);
    const keys = Object.keys(JSON.parse(text) as object);
    expect(keys).toEqual([...keys].sort());
  });

  it('reads back what it writes', () => {
    const snapshot = { ...empty(), tables: [table('a')] };
    expect(parseSnapshot(serializeSnapshot(snapshot), 'x.json')).toEqual(canonicalizeSnapshot(snapshot));
  });

  it('rejects a file that is not JSON, naming the file', () => {
    expect(() => parseSnapshot('{"format": ', 'schemaguard/schema.json')).toThrow(/corrupt snapshot file schemaguard\/schema\.json: not valid JSON/);
  });

  it('rejects JSON that is not a snapshot', () => {
    expect(() => parseSnapshot('{"name": "package"}', 'package.json')).toThrow(/package\.json is not a schemaguard snapshot/);
  });

  it('rejects another format version with the versions involved', () => {
    const text = JSON.stringify({ ...empty(), formatVersion: 2 });
    expect(() => parseSnapshot(text, 'old.json')).toThrow(/old\.json is snapshot format version 2; this schemaguard reads version 1/);
  });

  it('rejects a damaged snapshot naming the bad field', () => {
    const damaged = { ...empty(), tables: [{ ...table('a'), columns: [{ name: 'x' }] }] };
    expect(() => parseSnapshot(JSON.stringify(damaged), 'bad.json')).toThrow(/corrupt snapshot file bad\.json: .* at tables\[0\]\.columns\[0\]\.ordinal/);
  });
});
