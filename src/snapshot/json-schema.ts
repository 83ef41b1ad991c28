import { z } from 'zod';
import { stableStringify } from './canonical.js';
import { SchemaSnapshotSchema } from './model.js';

/** The JSON Schema of snapshot files, generated from the zod model (docs/snapshot.schema.json). */
export function snapshotJsonSchemaText(): string {
  const schema = z.toJSONSchema(SchemaSnapshotSchema, { target: 'draft-2020-12', reused: 'ref' }) as Record<string, unknown>;
  return stableStringify({
    ...schema,
    $id: 'https://schemaguard.dev/schemas/snapshot-v1.json',
    title: 'schemaguard snapshot (format version 1)',
  });
}
