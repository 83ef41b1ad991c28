import type { Engine } from '../dialects/engine.js';
import { DATABASE_NAMESPACE } from './model.js';

/**
 * The name an object is shown by: `public.film` on PostgreSQL, `film` on MySQL and SQLite,
 * where the namespace is the database itself and saying `main.` every time would be noise.
 */
export function qualifiedName(engine: Engine, schema: string, ...names: string[]): string {
  const omitSchema = engine !== 'postgres' && schema === DATABASE_NAMESPACE;
  return (omitSchema ? names : [schema, ...names]).join('.');
}
