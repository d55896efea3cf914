import type { PostgresMigration } from './migration';

/** Expand only, as ../0003: the default fills the ids older releases do not insert. gen_random_uuid() needs PostgreSQL 13. */
export const orderPublicIds: PostgresMigration = {
  name: '0003-order-public-ids',
  async up(client) {
    await client.query(`
      ALTER TABLE orders ADD COLUMN public_id text DEFAULT gen_random_uuid()::text;
      CREATE UNIQUE INDEX orders_by_public_id ON orders (public_id);
    `);
  },
  async down(client) {
    await client.query('DROP INDEX orders_by_public_id; ALTER TABLE orders DROP COLUMN public_id;');
  },
};
