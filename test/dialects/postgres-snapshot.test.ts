import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/diff/diff-snapshots.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import { serializeSnapshot } from '../../src/snapshot/canonical.js';
import type { SchemaSnapshot, Table } from '../../src/snapshot/model.js';
import { fixture, scratchWith, snapshotOf } from '../support/scratch.js';
import { postgresServer } from '../support/servers.js';

const server = await postgresServer();
const targets: [string, ScratchTarget, boolean][] = [
  ['PGlite', { kind: 'pglite' }, true],
  ['PostgreSQL server', { kind: 'server', url: server.url }, server.available],
];

const table = (snapshot: SchemaSnapshot, schema: string, name: string): Table => {
  const found = snapshot.tables.find((t) => t.schema === schema && t.name === name);
  if (found === undefined) throw new Error(`no table ${schema}.${name}`);
  return found;
};

/** `changed column public.film.title nullable` — one line per change, easy to assert exactly. */
const describeChanges = (before: SchemaSnapshot, after: SchemaSnapshot): string[] =>
  diffSnapshots(before, after).map((c) => `${c.action} ${c.kind} ${c.name}${c.action === 'changed' ? ` ${c.attribute}` : ''}`);

describe.each(targets)('PostgreSQL snapshot on %s', (_label, target, available) => {
  let scratch: ScratchDatabase;
  let snapshot: SchemaSnapshot;

  beforeAll(async () => {
    if (!available) return;
    scratch = await scratchWith(target, fixture('postgres/all-kinds.sql'));
    snapshot = await snapshotOf(scratch);
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  describe.skipIf(!available)('captures', () => {
    it('schemas with comments', () => {
      expect(snapshot.namespaces.map((n) => n.name)).toEqual(['inventory', 'public']);
      expect(snapshot.namespaces[0]?.comment).toBe('stock keeping');
    });

    it('columns with type, nullability, default, identity, generated expression, collation and comment', () => {
      const film = table(snapshot, 'public', 'film');
      const column = (name: string) => film.columns.find((c) => c.name === name)!;
      expect(film.columns.map((c) => c.name)).toEqual([
        'film_id',
        'title',
        'description',
        'release_year',
        'language_id',
        'rental_rate',
        'length',
        'length_hours',
        'rating',
        'special_features',
        'fulltext',
        'price',
        'contact',
      ]);
      expect(column('film_id').identity).toMatchObject({ generation: 'always', start: '10', increment: '5' });
      expect(column('title')).toMatchObject({ type: 'text', nullable: false, comment: 'the title' });
      expect(column('description').collation).toBe('"C"');
      expect(column('release_year')).toMatchObject({ type: 'year', normalizedType: 'integer' });
      expect(column('rental_rate')).toMatchObject({ type: 'numeric(4,2)', normalizedType: 'decimal(4,2)', default: '4.99' });
      expect(column('length_hours').generated).toEqual({ expression: 'round(((length)::numeric / 60.0), 2)', storage: 'stored' });
      expect(column('rating')).toMatchObject({ default: "'G'::mpaa_rating", normalizedType: 'enum' });
      expect(column('special_features').normalizedType).toBe('array(text)');
      expect(table(snapshot, 'public', 'language').columns[0]?.default).toBe("nextval('language_language_id_seq'::regclass)");
    });

    it('primary keys, unique constraints, foreign keys and checks with their options', () => {
      const film = table(snapshot, 'public', 'film');
      expect(film.primaryKey).toEqual({ name: 'film_pkey', columns: ['film_id'], comment: null });
      expect(film.uniqueConstraints).toEqual([
        { name: 'film_title_unique', columns: ['title', 'release_year'], nullsNotDistinct: false, deferrable: 'initially deferred', comment: null },
      ]);
      expect(film.foreignKeys[0]).toMatchObject({
        columns: ['language_id'],
        referencedSchema: 'public',
        referencedTable: 'language',
        referencedColumns: ['language_id'],
        onUpdate: 'cascade',
        onDelete: 'restrict',
        deferrable: 'not deferrable',
      });
      expect(film.checks).toEqual([
        { name: 'film_length_positive', expression: '(length > 0)', validated: true, comment: 'no empty films' },
      ]);
      const stock = table(snapshot, 'inventory', 'stock');
      expect(stock.foreignKeys[0]).toMatchObject({ match: 'full', onDelete: 'cascade', deferrable: 'initially immediate' });
      expect(stock.options).toEqual({ fillfactor: '80' });
    });

    it('indexes: expression, partial, method, opclass, included columns, uniqueness, comment', () => {
      const indexes = Object.fromEntries(table(snapshot, 'public', 'film').indexes.map((i) => [i.name, i]));
      expect(Object.keys(indexes).sort()).toEqual([
        'film_fulltext_idx',
        'film_language_title_idx',
        'film_lower_title_idx',
        'film_title_pattern_idx',
      ]);
      expect(indexes.film_fulltext_idx).toMatchObject({ method: 'gist', unique: false });
      expect(indexes.film_lower_title_idx).toMatchObject({
        keys: [{ kind: 'expression', expression: 'lower(title)', order: 'desc', nulls: 'last' }],
        predicate: 'length > 10',
        comment: 'case-insensitive search',
      });
      expect(indexes.film_language_title_idx).toMatchObject({ unique: true, include: ['rental_rate'] });
      expect(indexes.film_title_pattern_idx?.keys[0]).toMatchObject({ kind: 'column', column: 'title', opclass: 'text_pattern_ops' });
    });

    it('partitioned tables and their partitions, inheritance, exclusion constraints, RLS policies, unlogged tables', () => {
      expect(table(snapshot, 'public', 'payment').partitioning).toEqual({
        strategy: 'range',
        key: 'payment_date',
        partitions: [],
        subpartitioning: null,
      });
      expect(table(snapshot, 'public', 'payment_2022').partitionOf).toMatchObject({ schema: 'public', table: 'payment' });
      expect(table(snapshot, 'public', 'payment_2022').partitionOf?.bound).toMatch(/^FOR VALUES FROM \('2022-01-01/);
      expect(table(snapshot, 'public', 'payment_default').partitionOf?.bound).toBe('DEFAULT');
      expect(table(snapshot, 'public', 'audit_film').inherits).toEqual(['public.audit_base']);
      expect(table(snapshot, 'public', 'reservation').exclusions[0]?.definition).toBe('EXCLUDE USING gist (during WITH &&)');
      const secrets = table(snapshot, 'public', 'secrets');
      expect(secrets.options).toEqual({ row_security: 'enabled' });
      expect(secrets.policies.map((p) => [p.name, p.command, p.permissive])).toEqual([
        ['owner_insert', 'insert', false],
        ['owner_only', 'select', true],
      ]);
      expect(table(snapshot, 'public', 'session_cache').options).toEqual({ persistence: 'unlogged' });
    });

    it('views and materialized views with options, check option, columns and indexes', () => {
      const views = Object.fromEntries(snapshot.views.map((v) => [v.name, v]));
      expect(views.film_list).toMatchObject({ materialized: false, comment: 'films with their language' });
      expect(views.film_list?.columns.map((c) => c.name)).toEqual(['film_id', 'title', 'language']);
      expect(views.long_films?.checkOption).toBe('local');
      expect(views.secure_films?.options).toEqual({ security_barrier: 'true' });
      expect(views.rating_counts).toMatchObject({ materialized: true });
      expect(views.rating_counts?.indexes.map((i) => i.name)).toEqual(['rating_counts_rating_idx']);
    });

    it('sequences, with the serial ones owned by their column and identity sequences folded into columns', () => {
      expect(snapshot.sequences.map((s) => s.name)).toEqual(['invoice_number', 'language_language_id_seq', 'payment_payment_id_seq']);
      expect(snapshot.sequences[0]).toMatchObject({
        dataType: 'bigint',
        start: '1000',
        increment: '10',
        min: '1000',
        max: '9999999',
        cache: '5',
        cycle: true,
        ownedBy: null,
        comment: 'invoice numbers',
      });
      expect(snapshot.sequences[1]?.ownedBy).toEqual({ table: 'language', column: 'language_id' });
    });

    it('enums, domains, composite and range types', () => {
      const types = Object.fromEntries(snapshot.types.map((t) => [t.name, t]));
      expect(types.mpaa_rating).toMatchObject({
        kind: 'enum',
        schema: 'public',
        name: 'mpaa_rating',
        values: ['G', 'PG', 'PG-13', 'R', 'NC-17'],
        comment: 'film ratings',
      });
      expect(types.email).toMatchObject({ kind: 'domain', baseType: 'text', nullable: false, collation: '"C"' });
      expect(types.year).toMatchObject({ kind: 'domain', checks: [{ name: 'year_check' }] });
      expect(types.address).toMatchObject({ kind: 'composite', attributes: [{ name: 'street' }, { name: 'city' }, { name: 'zip' }] });
      expect(types.price_range).toMatchObject({ kind: 'range', subtype: 'numeric' });
    });

    it('functions, procedures and aggregates with signature, language, volatility and security', () => {
      const routines = Object.fromEntries(snapshot.routines.map((r) => [r.signature, r]));
      expect(Object.keys(routines).sort()).toEqual([
        'add_one(integer)',
        'audit_film_change()',
        'ddl_logger()',
        'film_count(integer, integer)',
        'film_count(text)',
        'last_updated()',
        'reset_rates(numeric)',
        'text_concat(text)',
      ]);
      expect(routines['film_count(integer, integer)']).toMatchObject({
        kind: 'function',
        arguments: 'p_language integer, p_min_length integer DEFAULT 0',
        returns: 'bigint',
        language: 'sql',
        volatility: 'stable',
        security: 'definer',
        strict: true,
        parallel: 'safe',
        settings: ['search_path=public'],
        comment: 'films per language',
      });
      expect(routines['add_one(integer)']?.body).toContain('BEGIN ATOMIC');
      expect(routines['reset_rates(numeric)']).toMatchObject({ kind: 'procedure', returns: null, volatility: null });
      expect(routines['text_concat(text)']).toMatchObject({ kind: 'aggregate', body: "SFUNC = textcat, STYPE = text, INITCOND = ''" });
    });

    it('triggers with timing, events, level, condition and function', () => {
      const triggers = Object.fromEntries(snapshot.triggers.map((t) => [t.name, t]));
      expect(triggers.film_audit).toMatchObject({
        table: 'film',
        timing: 'after',
        events: ['insert', 'update'],
        updateColumns: ['title', 'rental_rate'],
        level: 'row',
        function: 'public.audit_film_change',
        comment: 'audit changes',
      });
      expect(triggers.film_audit?.condition).toMatch(/new\.rental_rate > /);
      expect(triggers.film_truncate).toMatchObject({ events: ['truncate'], level: 'statement' });
      expect(triggers.language_last_update).toMatchObject({ timing: 'before', events: ['update'] });
      expect(triggers.stock_check).toMatchObject({ schema: 'inventory', constraintTrigger: 'initially deferred' });
    });

    it('owners, and grants other than the owner\'s own', () => {
      const film = table(snapshot, 'public', 'film');
      expect(film.owner).toBe(snapshot.namespaces.find((n) => n.name === 'inventory')?.owner);
      expect(film.grants).toEqual([
        { grantee: 'PUBLIC', privilege: 'SELECT', grantable: false },
        { grantee: 'PUBLIC', privilege: 'UPDATE', grantable: false },
      ]);
      expect(table(snapshot, 'public', 'language').grants).toEqual([]);
      expect(snapshot.routines.find((r) => r.signature === 'film_count(text)')?.grants).toEqual([]);
    });

    it('extensions, rules and event triggers', () => {
      expect(snapshot.extensions.map((e) => e.name)).toEqual(['pgcrypto', 'plpgsql']);
      expect(snapshot.rules).toMatchObject([{ table: 'secrets', name: 'secrets_no_delete' }]);
      expect(snapshot.eventTriggers).toMatchObject([{ name: 'log_ddl', event: 'ddl_command_end', tags: ['CREATE TABLE', 'ALTER TABLE'] }]);
    });

    it('leaves out what extensions own (pgcrypto functions)', () => {
      expect(snapshot.routines.some((r) => r.name === 'gen_random_uuid' || r.name === 'crypt')).toBe(false);
    });

    it('twice in a row, byte for byte the same', async () => {
      expect(serializeSnapshot(await snapshotOf(scratch))).toBe(serializeSnapshot(snapshot));
    });
  });

  describe.skipIf(!available)('diff names exactly the object that changed', () => {
    const cases: [string, string, string[]][] = [
      ['a column type', 'ALTER TABLE session_cache ALTER COLUMN value TYPE json', ['changed column public.session_cache.value type']],
      ['nullability', 'ALTER TABLE film ALTER COLUMN length SET NOT NULL', ['changed column public.film.length nullable']],
      ['a default', "ALTER TABLE film ALTER COLUMN rating SET DEFAULT 'PG'", ['changed column public.film.rating default']],
      ['a column comment', "COMMENT ON COLUMN film.description IS 'blurb'", ['changed column public.film.description comment']],
      ['identity options', 'ALTER TABLE film ALTER COLUMN film_id SET INCREMENT BY 7', ['changed column public.film.film_id identity']],
      ['a collation', 'ALTER TABLE secrets ALTER COLUMN secret TYPE text COLLATE "POSIX"', ['changed column public.secrets.secret collation']],
      ['an added column', 'ALTER TABLE language ADD COLUMN code char(2)', ['added column public.language.code']],
      ['a dropped check', 'ALTER TABLE film DROP CONSTRAINT film_length_positive', ['removed check constraint public.film.film_length_positive']],
      [
        'a foreign key action',
        'ALTER TABLE film DROP CONSTRAINT film_language_id_fkey, ADD CONSTRAINT film_language_id_fkey FOREIGN KEY (language_id) REFERENCES language (language_id) ON DELETE CASCADE',
        ['changed foreign key public.film.film_language_id_fkey onUpdate', 'changed foreign key public.film.film_language_id_fkey onDelete'],
      ],
      [
        'a unique constraint deferrability',
        'ALTER TABLE film DROP CONSTRAINT film_title_unique, ADD CONSTRAINT film_title_unique UNIQUE (title, release_year)',
        ['changed unique constraint public.film.film_title_unique deferrable'],
      ],
      ['an index predicate', 'DROP INDEX film_lower_title_idx; CREATE INDEX film_lower_title_idx ON film (lower(title) DESC NULLS LAST) WHERE length > 20; COMMENT ON INDEX film_lower_title_idx IS \'case-insensitive search\'', ['changed index public.film.film_lower_title_idx predicate']],
      ['a storage parameter', 'ALTER TABLE inventory.stock SET (fillfactor = 70)', ['changed table inventory.stock option fillfactor']],
      ['a view body', 'CREATE OR REPLACE VIEW secure_films WITH (security_barrier = true) AS SELECT film_id FROM film WHERE film_id > 0', ['changed view public.secure_films definition']],
      ['a sequence option', 'ALTER SEQUENCE invoice_number CACHE 10', ['changed sequence public.invoice_number cache']],
      ['an enum value', "ALTER TYPE mpaa_rating ADD VALUE 'X'", ['changed enum public.mpaa_rating values']],
      ['a domain check', 'ALTER DOMAIN year DROP CONSTRAINT year_check', ['changed domain public.year checks']],
      ['a function body', "CREATE OR REPLACE FUNCTION film_count(p_title text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT 2::bigint $$", ['changed function public.film_count(text) body']],
      ['a function volatility', 'ALTER FUNCTION film_count(text) STABLE', ['changed function public.film_count(text) volatility']],
      ['a trigger', 'DROP TRIGGER film_truncate ON film', ['removed trigger public.film.film_truncate']],
      ['a policy', 'ALTER POLICY owner_only ON secrets TO postgres', ['changed policy public.secrets.owner_only roles']],
      ['row-level security', 'ALTER TABLE secrets FORCE ROW LEVEL SECURITY', ['changed table public.secrets option row_security']],
      ['a table comment', "COMMENT ON TABLE language IS 'languages'", ['changed table public.language comment']],
      ['a new schema', 'CREATE SCHEMA billing', ['added namespace billing']],
      ['an extension', 'DROP EXTENSION pgcrypto', ['removed extension pgcrypto']],
      ['a rule', 'DROP RULE secrets_no_delete ON secrets', ['removed rule public.secrets.secrets_no_delete']],
      ['an event trigger', 'ALTER EVENT TRIGGER log_ddl DISABLE', ['changed event trigger log_ddl enabled']],
      ['a materialized view index', 'DROP INDEX rating_counts_rating_idx', ['removed index public.rating_counts.rating_counts_rating_idx']],
      ['a grant', 'GRANT INSERT ON language TO PUBLIC', ['changed table public.language grants']],
      ['a revoked grant', 'REVOKE UPDATE ON film FROM PUBLIC', ['changed table public.film grants']],
      [
        'an owner',
        "DO $$ BEGIN CREATE ROLE sg_test_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$; ALTER SEQUENCE invoice_number OWNER TO sg_test_owner",
        ['changed sequence public.invoice_number owner'],
      ],
      ['a new partition', "CREATE TABLE payment_2023 PARTITION OF payment FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')", ['added table public.payment_2023']],
    ];

    let previous: SchemaSnapshot;
    beforeAll(() => {
      previous = snapshot;
    });

    it.each(cases)('%s', async (_what, statement, expected) => {
      await scratch.connection.executeScript(statement);
      const next = await snapshotOf(scratch);
      expect(describeChanges(previous, next)).toEqual(expected);
      previous = next;
    });
  });
});
