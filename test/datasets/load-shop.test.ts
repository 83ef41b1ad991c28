import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, readDataset, type Dataset } from '../../src/datasets/index.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { count, ENGINES, projectPath, query, scratchFor, shopSchema } from './engines.js';

/** Who ordered what: the references of shop.yaml resolved, read back with a join. */
const ORDERED = [
  'ann@example.com MUG-001 2 9.50',
  'ann@example.com POS-003 1 12.00',
  'ann@example.com TEE-002 3 17.99',
  'bob@example.com TEE-002 1 19.99',
];

async function whoOrderedWhat(scratch: ScratchDatabase): Promise<string[]> {
  const rows = await query<{ email: string; sku: string; quantity: unknown; unit_price: unknown }>(
    scratch,
    `select u.email, p.sku, i.quantity, i.unit_price
       from order_items i
       join orders o on o.id = i.order_id
       join users u on u.id = o.user_id
       join products p on p.id = i.product_id
      order by u.email, p.sku`,
  );
  return rows.map((row) => `${row.email} ${row.sku} ${Number(row.quantity)} ${Number(row.unit_price).toFixed(2)}`);
}

async function shopCounts(scratch: ScratchDatabase): Promise<number[]> {
  return [await count(scratch, 'users'), await count(scratch, 'products'), await count(scratch, 'orders'), await count(scratch, 'order_items')];
}

describe.each(ENGINES)('the shop dataset on $name', (engine) => {
  let scratch: ScratchDatabase;
  let shop: Dataset;

  beforeAll(async () => {
    if (!engine.available) return;
    scratch = await scratchFor(engine, shopSchema(engine.flavour));
    shop = await readDataset(projectPath('datasets/shop/shop.yaml'));
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  it.skipIf(!engine.available)('loads every row, parents before children, with references resolved to the keys the database made', async () => {
    const result = await loadDataset(scratch.connection, shop, { operation: 'clean-insert' });
    expect(result.tables.map((table) => table.table)).toEqual(['users', 'products', 'orders', 'order_items']);
    expect(result.inserted).toBe(13);
    expect(await shopCounts(scratch)).toEqual([3, 3, 3, 4]);
    expect(await whoOrderedWhat(scratch)).toEqual(ORDERED);
    const users = await query<{ email: string; name: string; is_admin: unknown }>(scratch, 'select email, name, is_admin from users order by email');
    expect(users.map((user) => [user.email, user.name, Boolean(Number(user.is_admin))])).toEqual([
      ['ann@example.com', 'Ann Archer', true],
      ['bob@example.com', 'Bob Baker', false],
      ['cid@example.com', 'Cid Carter', false],
    ]);
    const statuses = await query<{ status: string; note: string | null }>(scratch, 'select o.status, o.note from orders o join users u on u.id = o.user_id order by u.email, o.status desc');
    expect(statuses).toEqual([
      { status: 'shipped', note: 'Leave it at the door' },
      { status: 'paid', note: null },
      { status: 'pending', note: null },
    ]);
    const poster = await query<{ name: string; attributes: unknown }>(scratch, "select name, attributes from products where sku = 'POS-003'");
    expect(poster).toEqual([{ name: 'Poster, A2', attributes: null }]);
  });

  it.skipIf(!engine.available)('reads the same shop from JSON and from a folder of CSV files', async () => {
    await loadDataset(scratch.connection, await readDataset(projectPath('test/fixtures/datasets/shop.json')), { operation: 'clean-insert' });
    expect(await shopCounts(scratch)).toEqual([3, 3, 3, 4]);
    expect(await whoOrderedWhat(scratch)).toEqual(ORDERED);
    await loadDataset(scratch.connection, await readDataset(projectPath('datasets/shop/csv')), { operation: 'clean-insert' });
    expect(await shopCounts(scratch)).toEqual([3, 3, 3, 4]);
    expect(await whoOrderedWhat(scratch)).toEqual(ORDERED);
  });

  it.skipIf(!engine.available)('clean-insert replaces the rows instead of adding to them', async () => {
    await loadDataset(scratch.connection, shop, { operation: 'clean-insert' });
    const again = await loadDataset(scratch.connection, shop, { operation: 'clean-insert' });
    expect(again.deleted).toBe(13);
    expect(again.inserted).toBe(13);
    expect(await shopCounts(scratch)).toEqual([3, 3, 3, 4]);
    expect(await whoOrderedWhat(scratch)).toEqual(ORDERED);
  });

  it.skipIf(!engine.available)('insert adds to what is there, and a duplicate fails naming the rows, with nothing written', async () => {
    await loadDataset(scratch.connection, shop, { operation: 'clean-insert' });
    // Labelled rows whose keys the database makes go in one by one (to read the key back), so the row is exact.
    await expect(loadDataset(scratch.connection, shop, { operation: 'insert' })).rejects.toThrow(/^datasets\/shop\/shop\.yaml:10: inserting users row 1 failed: .*(duplicate|unique)/i);
    expect(await shopCounts(scratch)).toEqual([3, 3, 3, 4]);
  });

  it.skipIf(!engine.available)('delete-all empties the tables of the dataset, children first, and no others', async () => {
    await loadDataset(scratch.connection, shop, { operation: 'clean-insert' });
    const onlyItems = await readDataset(projectPath('test/fixtures/datasets/empty-order-items.yaml'));
    const partial = await loadDataset(scratch.connection, onlyItems, { operation: 'delete-all' });
    expect(partial.tables).toEqual([{ table: 'order_items', deleted: 4, inserted: 0, updated: 0 }]);
    expect(await shopCounts(scratch)).toEqual([3, 3, 3, 0]);
    const all = await loadDataset(scratch.connection, shop, { operation: 'delete-all' });
    expect(all.deleted).toBe(9);
    expect(all.inserted).toBe(0);
    expect(await shopCounts(scratch)).toEqual([0, 0, 0, 0]);
  });

  it.skipIf(!engine.available)('leaves the key counters past explicit ids, so the next ordinary INSERT works', async () => {
    await loadDataset(scratch.connection, await readDataset(projectPath('datasets/shop/csv')), { operation: 'clean-insert' });
    await scratch.connection.executeScript("insert into users (email, name) values ('dee@example.com', 'Dee Dale')");
    const rows = await query<{ id: unknown }>(scratch, "select id from users where email = 'dee@example.com'");
    expect(Number(rows[0]!.id)).toBeGreaterThan(3);
  });
});

describe.each(ENGINES)('generated volume on $name', (engine) => {
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    if (engine.available) scratch = await scratchFor(engine, shopSchema(engine.flavour));
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  /** Every row of the small volume fixture, as the driver returns it (generated ids of order_items left out). */
  async function contents(): Promise<string> {
    const parts = [
      await query(scratch, 'select id, email, name, is_admin, created_at from users order by id'),
      await query(scratch, 'select id, sku, name, price, attributes from products order by id'),
      await query(scratch, 'select id, user_id, status, ordered_at, note from orders order by id'),
      await query(scratch, 'select order_id, product_id, quantity, unit_price from order_items order by id'),
    ];
    return JSON.stringify(parts);
  }

  it.skipIf(!engine.available)('is the same for the same seed, and different for another', async () => {
    const small = await readDataset(projectPath('test/fixtures/datasets/shop-small-volume.yaml'));
    await loadDataset(scratch.connection, small, { operation: 'clean-insert' });
    const first = await contents();
    await loadDataset(scratch.connection, small, { operation: 'clean-insert' });
    expect(await contents()).toBe(first);
    await loadDataset(scratch.connection, small, { operation: 'clean-insert', seed: 12 });
    const reseeded = await contents();
    expect(reseeded).not.toBe(first);
    expect(await shopCounts(scratch)).toEqual([200, 50, 2000, 3000]);
  });

  it.skipIf(!engine.available)(
    'loads the example volume (252,500 rows) fast enough, with the shape its generators describe',
    async () => {
      const volume = await readDataset(projectPath('datasets/shop/shop-volume.yaml'));
      const progress: number[] = [];
      const result = await loadDataset(scratch.connection, volume, { operation: 'clean-insert', onProgress: (update) => progress.push(update.done) });
      console.log(`${engine.name}: ${result.inserted} generated rows in ${(result.elapsedMs / 1000).toFixed(1)} s`);
      expect(result.inserted).toBe(252_500);
      // A generous floor: a loaded two-core CI machine managed 10,000 rows/s on PGlite, the slowest.
      expect(result.inserted / (result.elapsedMs / 1000)).toBeGreaterThan(2_000);
      expect(progress.length).toBeGreaterThan(4);
      expect(await shopCounts(scratch)).toEqual([2000, 500, 100_000, 150_000]);

      const [orders] = await query<{ users: unknown; shipped: unknown; noted: unknown }>(
        scratch,
        `select count(distinct user_id) as users,
                sum(case when status = 'shipped' then 1 else 0 end) as shipped,
                count(note) as noted
           from orders`,
      );
      expect(Number(orders!.users)).toBeGreaterThan(1900); // 100,000 picks among 2,000 users reach nearly all
      expect(Number(orders!.shipped) / 100_000).toBeCloseTo(0.8, 1); // weight 80 of 100
      expect(Number(orders!.noted) / 100_000).toBeCloseTo(0.1, 1); // $nulls: 0.9
      const [prices] = await query<{ low: unknown; high: unknown }>(scratch, 'select min(price) as low, max(price) as high from products');
      expect(Number(prices!.low)).toBeGreaterThanOrEqual(0.5);
      expect(Number(prices!.high)).toBeLessThanOrEqual(250);
      const [emails] = await query<{ n: unknown }>(scratch, 'select count(distinct email) as n from users');
      expect(Number(emails!.n)).toBe(2000);
    },
    600_000,
  );
});
