import { sql, type Kysely } from 'kysely';

// Orders, with a foreign key to users, a CHECK over the status and an index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('orders')
    .addColumn('id', 'bigint', (col) => col.generatedByDefaultAsIdentity().primaryKey())
    .addColumn('user_id', 'bigint', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('new'))
    .addColumn('total_cents', 'bigint', (col) => col.notNull().defaultTo(0))
    .addCheckConstraint('orders_status_check', sql`status in ('new', 'paid', 'shipped', 'cancelled')`)
    .addCheckConstraint('orders_total_cents_check', sql`total_cents >= 0`)
    .execute();
  await db.schema.createIndex('orders_user_id_idx').on('orders').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // Dropping the table drops its index and constraints with it.
  await db.schema.dropTable('orders').execute();
}
