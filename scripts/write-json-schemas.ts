// Regenerates the JSON Schemas in docs/ from the zod models: npm run schema:json
import { writeFileSync } from 'node:fs';
import { snapshotJsonSchemaText } from '../src/snapshot/json-schema.js';

writeFileSync(new URL('../docs/snapshot.schema.json', import.meta.url), snapshotJsonSchemaText());
console.log('wrote docs/snapshot.schema.json');
