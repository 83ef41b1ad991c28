import { sql, type Kysely } from 'kysely';

// A view built with the query builder: orders and cents per customer.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createView('order_totals')
    .as(
      db
        .selectFrom('users as u')
        .leftJoin('orders as o', 'o.user_id', 'u.id')
        .select(['u.id as user_id', 'u.email'])
        .select((eb) => [eb.fn.count('o.id').as('orders'), sql`coalesce(sum(o.total_cents), 0)`.as('total_cents')])
        .groupBy(['u.id', 'u.email']),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropView('order_totals').execute();
}
