import type { PostgresMigration } from './migration';

/**
 * As ../0003-order-public-ids.ts, expand only: a nullable column whose default gives every
 * order a UUID v4, those already there and those a release without public ids inserts (what
 * the SQLite trigger does). gen_random_uuid() is built in from PostgreSQL 13.
 */
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
