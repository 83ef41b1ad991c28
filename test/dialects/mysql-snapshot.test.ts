import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureMysqlSchema } from '../../src/dialects/mysql/mysql-snapshot.js';
import { diffSnapshots } from '../../src/diff/diff-snapshots.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import { serializeSnapshot } from '../../src/snapshot/canonical.js';
import { SchemaSnapshotSchema, type SchemaSnapshot, type Table } from '../../src/snapshot/model.js';
import { databaseName, mariadbDumpSchema, mariadbLoad } from '../support/mysql-cli.js';
import { oneChangeCases } from '../fixtures/mysql/one-change-cases.js';
import { fixture, scratchWith, snapshotOf } from '../support/scratch.js';
import { mysqlServer } from '../support/servers.js';

const server = await mysqlServer();
const target: ScratchTarget = { kind: 'server', url: server.url };

/**
 * A server-wide account for grants and definers, used by this file only. Grants outlive a
 * dropped database in the mysql schema; dropping the account removes them with it.
 */
const APP_USER = "'schemaguard_snapshot_app'@'%'";
const GRANTS = `GRANT SELECT, SHOW VIEW ON * TO ${APP_USER};
  GRANT INSERT, UPDATE ON films TO ${APP_USER} WITH GRANT OPTION;
  GRANT SELECT ON film_list TO ${APP_USER};`;
async function withAppUser(statement: string): Promise<void> {
  const admin = await scratchWith(target);
  try {
    await admin.connection.executeScript(statement);
  } finally {
    await admin.dispose();
  }
}
if (server.available) {
  beforeAll(() => withAppUser(`CREATE USER IF NOT EXISTS ${APP_USER}`));
  afterAll(() => withAppUser(`DROP USER IF EXISTS ${APP_USER}`));
}

const table = (snapshot: SchemaSnapshot, name: string): Table => {
  const found = snapshot.tables.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no table ${name}`);
  return found;
};

/** `changed column films.title nullable` — one line per change, easy to assert exactly. */
const describeChanges = (before: SchemaSnapshot, after: SchemaSnapshot): string[] =>
  diffSnapshots(before, after).map((c) => `${c.action} ${c.kind} ${c.name}${c.action === 'changed' ? ` ${c.attribute}` : ''}`);

describe.skipIf(!server.available)('MySQL/MariaDB snapshot on the server', () => {
  let scratch: ScratchDatabase;
  let snapshot: SchemaSnapshot;

  let currentUser: string;

  beforeAll(async () => {
    scratch = await scratchWith(target, `${fixture('mysql/all-kinds.sql')}\n${GRANTS}`);
    snapshot = await snapshotOf(scratch);
    const { rows } = await sql<{ user: string }>`SELECT CURRENT_USER() AS user`.execute(scratch.connection.db);
    currentUser = rows[0]!.user;
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  describe('captures', () => {
    it('a snapshot the model accepts, for the mysql engine', () => {
      expect(() => SchemaSnapshotSchema.parse(snapshot)).not.toThrow();
      expect(snapshot.engine).toBe('mysql');
      expect(['MariaDB', 'MySQL']).toContain(snapshot.server.product);
    });

    it('the database as the namespace main (its comment is a diff case below)', () => {
      expect(snapshot.namespaces).toMatchObject([{ name: 'main', comment: null }]);
      expect(new Set(snapshot.tables.map((t) => t.schema))).toEqual(new Set(['main']));
    });

    it('tables with engine, charset, collation, explicit row format and comment, and no counters', () => {
      expect(snapshot.tables.map((t) => t.name)).toEqual([
        'customers',
        'film_audit',
        'films',
        'languages',
        'orders',
        'payments',
        'price_history',
        'rental_sessions',
        'rentals',
        'session_cache',
        'stores',
      ]);
      expect(table(snapshot, 'languages')).toMatchObject({
        options: { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci', row_format: 'COMPACT' },
        comment: 'spoken languages',
      });
      expect(table(snapshot, 'films').options).toEqual({ engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_general_ci' });
      expect(table(snapshot, 'film_audit').options.engine).toBe('MyISAM');
      expect(table(snapshot, 'session_cache').options.engine).toBe('MEMORY');
      expect(table(snapshot, 'price_history').options).toMatchObject({ system_versioning: 'true' });
      expect(table(snapshot, 'films').uniqueConstraints).toEqual([]);
    });

    it('columns with native and normalised type, nullability, auto-increment, collation, charset, on update and comment', () => {
      const films = table(snapshot, 'films');
      const column = (name: string) => films.columns.find((c) => c.name === name)!;
      expect(films.columns.map((c) => c.name)).toEqual([
        'film_id',
        'title',
        'description',
        'release_year',
        'language_id',
        'rental_rate',
        'length',
        'length_hours',
        'title_sort',
        'rating',
        'special_features',
        'tagline',
        'is_active',
        'metadata',
        'poster',
        'last_update',
      ]);
      expect(films.columns.map((c) => c.ordinal)).toEqual(films.columns.map((_, i) => i + 1));
      expect(column('film_id')).toMatchObject({ type: 'int(10) unsigned', normalizedType: 'integer', nullable: false, autoIncrement: true });
      expect(column('title')).toMatchObject({
        type: 'varchar(255)',
        normalizedType: 'varchar(255)',
        charset: 'utf8mb4',
        collation: 'utf8mb4_general_ci',
        comment: 'the title',
        autoIncrement: false,
      });
      expect(column('description')).toMatchObject({ normalizedType: 'text', collation: 'utf8mb4_bin', nullable: true });
      expect(column('release_year').normalizedType).toBe('integer');
      expect(column('language_id')).toMatchObject({ type: 'tinyint(3) unsigned', normalizedType: 'smallint' });
      expect(column('rental_rate')).toMatchObject({ type: 'decimal(4,2)', normalizedType: 'decimal(4,2)', default: '4.99' });
      expect(column('rating')).toMatchObject({ normalizedType: 'enum', default: "'G'" });
      expect(column('special_features').normalizedType).toBe("set('Trailers','Commentaries','Deleted Scenes','Behind the Scenes')");
      expect(column('is_active')).toMatchObject({ type: 'tinyint(1)', normalizedType: 'boolean', default: '1' });
      expect(column('metadata')).toMatchObject({ type: 'longtext', normalizedType: 'json' });
      expect(column('poster')).toMatchObject({ normalizedType: 'binary', charset: null, collation: null });
      expect(column('last_update')).toMatchObject({
        normalizedType: 'timestamptz',
        default: 'current_timestamp()',
        onUpdate: 'current_timestamp()',
      });
      expect(table(snapshot, 'orders').columns.find((c) => c.name === 'ordered_at')).toMatchObject({
        type: 'datetime(6)',
        normalizedType: 'timestamp',
        default: 'current_timestamp(6)',
        onUpdate: null,
      });
    });

    it('generated columns with their expression and storage', () => {
      const films = table(snapshot, 'films');
      expect(films.columns.find((c) => c.name === 'length_hours')?.generated).toEqual({
        expression: 'round(`length` / 60,2)',
        storage: 'virtual',
      });
      expect(films.columns.find((c) => c.name === 'title_sort')).toMatchObject({
        generated: { expression: 'ucase(`title`)', storage: 'stored' },
        default: null,
      });
    });

    it('defaults: string literals quoted, NULL as null, sequences without the database name', () => {
      const films = table(snapshot, 'films');
      expect(films.columns.find((c) => c.name === 'tagline')?.default).toBe("'it''s a classic'");
      expect(films.columns.find((c) => c.name === 'description')?.default).toBeNull();
      expect(films.columns.find((c) => c.name === 'title')?.default).toBeNull();
      expect(table(snapshot, 'orders').columns[0]).toMatchObject({ name: 'order_id', default: 'nextval(`order_numbers`)' });
    });

    it('the primary key, and every other key as an index: unique, method, prefix, order, ignored, comment', () => {
      const films = table(snapshot, 'films');
      expect(films.primaryKey).toEqual({ name: 'PRIMARY', columns: ['film_id'], comment: null });
      const indexes = Object.fromEntries(films.indexes.map((i) => [i.name, i]));
      expect(Object.keys(indexes)).toEqual([
        'films_language_year_idx',
        'films_rate_idx',
        'films_title_ft',
        'films_title_prefix_idx',
        'films_title_year_uq',
      ]);
      expect(indexes.films_title_year_uq).toMatchObject({
        unique: true,
        method: 'BTREE',
        keys: [{ kind: 'column', column: 'title' }, { kind: 'column', column: 'release_year' }],
      });
      expect(indexes.films_title_prefix_idx?.keys).toEqual([
        { kind: 'column', column: 'title', order: 'asc', nulls: null, opclass: null, collation: null, prefixLength: 10 },
      ]);
      expect(indexes.films_language_year_idx).toMatchObject({
        unique: false,
        comment: 'films by language, newest first',
        keys: [{ column: 'language_id', order: 'asc' }, { column: 'release_year', order: 'desc' }],
      });
      expect(indexes.films_rate_idx?.options).toEqual({ ignored: 'true' });
      expect(indexes.films_title_ft).toMatchObject({ method: 'FULLTEXT', options: {} });
      expect(table(snapshot, 'languages').indexes).toMatchObject([{ name: 'languages_name_uq', unique: true }]);
      expect(table(snapshot, 'stores').indexes).toMatchObject([
        { name: 'stores_location_idx', method: 'SPATIAL', keys: [{ column: 'location', prefixLength: null }] },
      ]);
      expect(table(snapshot, 'session_cache')).toMatchObject({ primaryKey: null, indexes: [{ method: 'HASH' }] });
      // InnoDB creates an index for a foreign key that has none, named after the constraint.
      expect(table(snapshot, 'orders').indexes.map((i) => i.name)).toEqual(['orders_film_fk', 'orders_store_fk']);
    });

    it('foreign keys with their columns, referenced table and columns, and actions', () => {
      expect(table(snapshot, 'films').foreignKeys).toEqual([
        {
          name: 'films_language_fk',
          columns: ['language_id'],
          referencedSchema: 'main',
          referencedTable: 'languages',
          referencedColumns: ['language_id'],
          onUpdate: 'cascade',
          onDelete: 'restrict',
          match: 'simple',
          deferrable: 'not deferrable',
          validated: true,
          comment: null,
        },
      ]);
      expect(table(snapshot, 'orders').foreignKeys.map((f) => [f.name, f.referencedTable, f.onUpdate, f.onDelete])).toEqual([
        // MariaDB reports an unspecified action as RESTRICT.
        ['orders_film_fk', 'films', 'restrict', 'cascade'],
        ['orders_store_fk', 'stores', 'cascade', 'set null'],
      ]);
    });

    it('table and column checks (MariaDB names a column check after its column; JSON adds json_valid)', () => {
      expect(table(snapshot, 'films').checks).toEqual([
        { name: 'films_length_positive', expression: '`length` > 0', validated: true, comment: null },
        { name: 'metadata', expression: 'json_valid(`metadata`)', validated: true, comment: null },
        { name: 'rental_rate', expression: '`rental_rate` >= 0', validated: true, comment: null },
      ]);
      expect(table(snapshot, 'orders').checks.map((c) => c.name)).toEqual(['orders_amount_positive']);
    });

    it('views with a definition free of the database name, check option, security, algorithm and columns', () => {
      const views = Object.fromEntries(snapshot.views.map((v) => [v.name, v]));
      expect(Object.keys(views)).toEqual(['film_list', 'long_films', 'server_table_count']);
      expect(views.film_list).toMatchObject({
        schema: 'main',
        materialized: false,
        definition:
          'select `f`.`film_id` AS `film_id`,`f`.`title` AS `title`,`l`.`name` AS `language` from (`films` `f` join `languages` `l` on(`l`.`language_id` = `f`.`language_id`))',
        columns: [
          { name: 'film_id', type: 'int(10) unsigned' },
          { name: 'title', type: 'varchar(255)' },
          { name: 'language', type: 'char(20)' },
        ],
        checkOption: null,
        options: { algorithm: 'undefined', security: 'definer' },
      });
      expect(views.long_films).toMatchObject({ checkOption: 'local', options: { algorithm: 'merge', security: 'invoker' } });
      expect(views.server_table_count?.definition).toBe('select count(0) AS `tables_on_server` from `information_schema`.`TABLES`');
    });

    it('MariaDB sequences with every setting, and not as tables', () => {
      expect(snapshot.sequences).toMatchObject([
        {
          schema: 'main',
          name: 'order_numbers',
          dataType: 'bigint',
          start: '1000',
          increment: '10',
          min: '1000',
          max: '9999999',
          cache: '5',
          cycle: true,
          ownedBy: null,
          comment: 'order numbers',
        },
      ]);
    });

    it('functions and procedures with signature, arguments, returns, body, determinism, data access and security', () => {
      const routines = Object.fromEntries(snapshot.routines.map((r) => [r.signature, r]));
      expect(Object.keys(routines)).toEqual([
        'count_orders(int(11))',
        'film_count(tinyint(3) unsigned, int(11))',
        'greeting(varchar(20))',
        'rent_film(int(10) unsigned, smallint(5) unsigned, bigint(20))',
      ]);
      expect(routines['film_count(tinyint(3) unsigned, int(11))']).toMatchObject({
        schema: 'main',
        name: 'film_count',
        kind: 'function',
        signature: 'film_count(tinyint(3) unsigned, int(11))',
        arguments: 'p_language_id tinyint(3) unsigned, p_min_length int(11)',
        returns: 'int(11)',
        language: 'SQL',
        body: 'RETURN (SELECT COUNT(*) FROM films WHERE language_id = p_language_id AND length >= p_min_length)',
        volatility: null,
        security: 'invoker',
        strict: null,
        parallel: null,
        deterministic: true,
        dataAccess: 'READS SQL DATA',
        settings: [expect.stringMatching(/^sql_mode=/)],
        comment: 'films per language',
      });
      expect(routines['greeting(varchar(20))']).toMatchObject({
        arguments: 'who varchar(20) CHARSET latin1 COLLATE latin1_swedish_ci',
        returns: 'varchar(40) CHARSET utf8mb4 COLLATE utf8mb4_general_ci',
        deterministic: false,
        dataAccess: 'NO SQL',
        security: 'definer',
      });
      const rentFilm = routines['rent_film(int(10) unsigned, smallint(5) unsigned, bigint(20))'];
      expect(rentFilm).toMatchObject({
        kind: 'procedure',
        arguments: 'IN p_film_id int(10) unsigned, IN p_store_id smallint(5) unsigned, OUT p_order_id bigint(20)',
        returns: null,
        dataAccess: 'MODIFIES SQL DATA',
        comment: 'records an order',
      });
      expect(rentFilm?.body).toMatch(/^BEGIN\n {2}INSERT INTO orders .*\nEND$/s);
      expect(routines['count_orders(int(11))']?.arguments).toBe('INOUT p_total int(11)');
    });

    it('triggers with timing, event, level, body and order', () => {
      const triggers = Object.fromEntries(snapshot.triggers.map((t) => [t.name, t]));
      expect(triggers.films_trim_title).toMatchObject({
        schema: 'main',
        table: 'films',
        name: 'films_trim_title',
        timing: 'before',
        events: ['insert'],
        updateColumns: [],
        level: 'row',
        condition: null,
        action: 'SET NEW.title = TRIM(NEW.title)',
        function: null,
        enabled: 'origin',
        constraintTrigger: null,
        order: 1,
        comment: null,
      });
      expect(triggers.films_default_length).toMatchObject({ timing: 'before', events: ['insert'], order: 2 });
      expect(triggers.films_audit_update).toMatchObject({ timing: 'after', events: ['update'], order: 1 });
      expect(triggers.films_audit_update?.action).toMatch(/^BEGIN\n {2}INSERT INTO film_audit/);
      expect(triggers.films_audit_delete).toMatchObject({ events: ['delete'] });
    });

    it('events with schedule, status, completion, body and comment', () => {
      expect(snapshot.events).toMatchObject([
        {
          schema: 'main',
          name: 'purge_film_audit',
          schedule: "EVERY 1 DAY STARTS '2030-01-01 03:00:00'",
          status: 'disabled',
          onCompletion: 'preserve',
          body: 'DELETE FROM film_audit WHERE changed_at < NOW() - INTERVAL 30 DAY',
          comment: 'nightly purge',
        },
        {
          schema: 'main',
          name: 'retire_old_films',
          schedule: "AT '2030-06-01 00:00:00'",
          status: 'enabled',
          onCompletion: 'preserve',
          body: 'UPDATE films SET is_active = FALSE WHERE release_year < 1950',
          comment: null,
        },
      ]);
    });

    it('partitioning: range with comments, subpartitions, list columns with DEFAULT, key', () => {
      expect(table(snapshot, 'payments').partitioning).toEqual({
        strategy: 'range',
        key: 'year(`paid_on`)',
        partitions: [
          { name: 'p2022', bound: 'VALUES LESS THAN (2023)', comment: 'closed year' },
          { name: 'p2023', bound: 'VALUES LESS THAN (2024)', comment: null },
          { name: 'pfuture', bound: 'VALUES LESS THAN MAXVALUE', comment: null },
        ],
        subpartitioning: null,
      });
      expect(table(snapshot, 'rentals').partitioning).toEqual({
        strategy: 'range',
        key: 'year(`rented_on`)',
        partitions: [
          { name: 'r2022', bound: 'VALUES LESS THAN (2023) (SUBPARTITION r2022sp0, SUBPARTITION r2022sp1)', comment: null },
          { name: 'rlater', bound: 'VALUES LESS THAN MAXVALUE (SUBPARTITION rlatersp0, SUBPARTITION rlatersp1)', comment: null },
        ],
        subpartitioning: 'HASH (to_days(`rented_on`))',
      });
      expect(table(snapshot, 'customers').partitioning).toMatchObject({
        strategy: 'list columns',
        key: '`country`',
        partitions: [
          { name: 'europe', bound: "VALUES IN ('FR','DE','NL')" },
          { name: 'americas', bound: "VALUES IN ('US','CA')" },
          { name: 'elsewhere', bound: 'DEFAULT' },
        ],
      });
      expect(table(snapshot, 'rental_sessions').partitioning).toMatchObject({
        strategy: 'key',
        key: '`session_id`',
        partitions: [{ name: 'p0', bound: '' }, { name: 'p1', bound: '' }, { name: 'p2', bound: '' }],
      });
      // "partitioned" in CREATE_OPTIONS is said by `partitioning`, not repeated as an option.
      expect(table(snapshot, 'payments').options).toEqual({ engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_general_ci' });
    });

    it('the DEFINER (user@host as the server shows it) as the owner of views, routines, triggers and events; tables none', () => {
      expect(currentUser).toMatch(/^[^@]+@[^@]+$/);
      expect(new Set([...snapshot.views, ...snapshot.routines, ...snapshot.triggers, ...snapshot.events].map((o) => o.owner))).toEqual(
        new Set([currentUser]),
      );
      expect(new Set(snapshot.tables.map((t) => t.owner))).toEqual(new Set([null]));
      expect(snapshot.namespaces[0]?.owner).toBeNull();
    });

    it('grants on the database and on tables and views, grantee as the server shows it', () => {
      expect(snapshot.namespaces[0]?.grants).toEqual([
        { grantee: APP_USER, privilege: 'SELECT', grantable: false },
        { grantee: APP_USER, privilege: 'SHOW VIEW', grantable: false },
      ]);
      expect(table(snapshot, 'films').grants).toEqual([
        { grantee: APP_USER, privilege: 'INSERT', grantable: true },
        { grantee: APP_USER, privilege: 'UPDATE', grantable: true },
      ]);
      expect(snapshot.views.find((v) => v.name === 'film_list')?.grants).toEqual([{ grantee: APP_USER, privilege: 'SELECT', grantable: false }]);
      expect(table(snapshot, 'orders').grants).toEqual([]);
    });

    it('nothing the model has no MySQL counterpart for', () => {
      expect(snapshot.types).toEqual([]);
      expect(snapshot.extensions).toEqual([]);
      expect(snapshot.rules).toEqual([]);
      expect(snapshot.eventTriggers).toEqual([]);
    });

    it('never the name of the database itself', () => {
      expect(serializeSnapshot(snapshot)).not.toContain(databaseName(scratch.url));
    });

    it('twice in a row, byte for byte the same', async () => {
      expect(serializeSnapshot(await snapshotOf(scratch))).toBe(serializeSnapshot(snapshot));
    });
  });

  describe('diff names exactly the object that changed', () => {
    const cases = oneChangeCases(APP_USER);

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

describe.skipIf(!server.available)('MySQL/MariaDB snapshots across databases', () => {
  const scratches: ScratchDatabase[] = [];
  const fresh = async (sql?: string) => {
    const scratch = await scratchWith(target, sql);
    scratches.push(scratch);
    return scratch;
  };
  let source: ScratchDatabase;
  let sourceSnapshot: SchemaSnapshot;

  beforeAll(async () => {
    source = await fresh(fixture('mysql/all-kinds.sql'));
    sourceSnapshot = await snapshotOf(source);
  });
  const granted = async () => fresh(`${fixture('mysql/all-kinds.sql')}\n${GRANTS}`);
  afterAll(async () => {
    await Promise.all(scratches.map((s) => s.dispose()));
  });

  it('are byte-identical for the same schema and grants in databases of different names', async () => {
    const [one, other] = [await granted(), await granted()];
    expect(databaseName(other.url)).not.toBe(databaseName(one.url));
    const oneText = serializeSnapshot(await snapshotOf(one));
    const otherText = serializeSnapshot(await snapshotOf(other));
    expect(oneText).toContain('"grantee"');
    expect(otherText).toBe(oneText);
    expect(otherText).not.toContain(databaseName(other.url));
    expect(otherText).not.toContain(databaseName(one.url));
  });

  it('show that mariadb-dump writes the source database into nextval() defaults, so a restored copy points back at it', async () => {
    const restored = await fresh();
    expect(mariadbLoad(restored.url, mariadbDumpSchema(source.url)).errors).toEqual([]);
    const changes = diffSnapshots(sourceSnapshot, await snapshotOf(restored));
    expect(changes).toMatchObject([
      {
        action: 'changed',
        kind: 'column',
        name: 'orders.order_id',
        attribute: 'default',
        after: `nextval(\`${databaseName(source.url)}\`.\`order_numbers\`)`,
      },
    ]);
  });

  it('equal the snapshot of a database restored from mariadb-dump (with that qualifier removed, as one restores under a new name)', async () => {
    const restored = await fresh();
    // The scratch name is unique (schemaguard_…), so this replaces only the dump's qualifiers.
    const dump = mariadbDumpSchema(source.url).replaceAll(`\`${databaseName(source.url)}\`.`, '');
    expect(mariadbLoad(restored.url, dump).errors).toEqual([]);
    const restoredSnapshot = await snapshotOf(restored);
    expect(diffSnapshots(sourceSnapshot, restoredSnapshot)).toEqual([]);
    expect(serializeSnapshot(restoredSnapshot)).toBe(serializeSnapshot(sourceSnapshot));
  });
});

describe.skipIf(!server.available)('MySQL/MariaDB capture reads a fixed number of queries', () => {
  /** Runs a capture of `script`'s schema and counts the queries it sends (BEGIN and COMMIT aside). */
  async function queriesFor(script: string): Promise<{ queries: number; product: string }> {
    const scratch = await scratchWith(target, script);
    try {
      let queries = 0;
      const counting = scratch.connection.db.withPlugin({
        transformQuery: ({ node }) => {
          queries += 1;
          return node;
        },
        transformResult: async ({ result }) => result,
      });
      await captureMysqlSchema(counting, scratch.connection.server, { schemas: [] });
      return { queries, product: scratch.connection.server.product };
    } finally {
      await scratch.dispose();
    }
  }
  const tables = (count: number) =>
    Array.from(
      { length: count },
      (_, i) => `CREATE TABLE t${i} (id INT PRIMARY KEY, v INT CHECK (v > 0), KEY t${i}_v (v));
        CREATE VIEW v${i} AS SELECT id FROM t${i};
        CREATE TRIGGER t${i}_bi BEFORE INSERT ON t${i} FOR EACH ROW SET NEW.v = 1;
        CREATE PROCEDURE p${i}() SELECT ${i};`,
    ).join('\n');

  it('whatever the number of tables, views, triggers and routines', async () => {
    const one = await queriesFor(tables(1));
    expect(one.queries).toBe((await queriesFor(tables(40))).queries);
    expect(one.queries).toBe(14);
  });

  it('and one more for all MariaDB sequences together', async (context) => {
    const none = await queriesFor(tables(1));
    if (none.product !== 'MariaDB') return context.skip();
    const sequences = (count: number) => Array.from({ length: count }, (_, i) => `CREATE SEQUENCE s${i};`).join('\n');
    expect((await queriesFor(sequences(1))).queries).toBe(none.queries + 1);
    expect((await queriesFor(sequences(10))).queries).toBe(none.queries + 1);
  });
});
