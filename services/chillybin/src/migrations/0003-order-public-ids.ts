import { randomUUID } from 'node:crypto';
import type { Migration } from './migration';

/**
 * A UUID v4 made by SQLite itself (randomblob), for the trigger below: it must work in a
 * connection that has no function of ours, i.e. in a release that predates this migration.
 */
const SQL_UUID_V4 = `lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-'
  || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))`;

/**
 * An order's public id: a random UUID v4 beside the row id, which stays internal (order_items
 * refer to it). Row ids count 1, 2, 3…: answering to them let anyone list every order and
 * its customer. docs/idempotency.md, "Order ids", has the rule.
 *
 * Expand only, so the release before this one keeps working on this schema during a rolling
 * deploy or after a rollback of the code (test/order-ids.test.ts runs its statements):
 * - the column is nullable: that release inserts orders without it;
 * - the trigger gives such an order its public id at once, so no order is ever without one;
 * - orders placed before this migration get theirs here, from crypto.randomUUID().
 * The contract step (public_id NOT NULL, the trigger dropped) is a later migration, once no
 * release without this code can run.
 */
export const orderPublicIds: Migration = {
  name: '0003-order-public-ids',
  up(db) {
    db.exec('ALTER TABLE orders ADD COLUMN public_id TEXT');
    const give = db.prepare('UPDATE orders SET public_id = ? WHERE id = ?');
    for (const id of db.prepare('SELECT id FROM orders WHERE public_id IS NULL').pluck().all()) give.run(randomUUID(), id);
    db.exec(`
      CREATE UNIQUE INDEX orders_by_public_id ON orders (public_id);
      CREATE TRIGGER orders_public_id_for_older_releases AFTER INSERT ON orders WHEN NEW.public_id IS NULL
      BEGIN
        UPDATE orders SET public_id = ${SQL_UUID_V4} WHERE id = NEW.id;
      END;
    `);
  },
  down(db) {
    db.exec(`
      DROP TRIGGER orders_public_id_for_older_releases;
      DROP INDEX orders_by_public_id;
      ALTER TABLE orders DROP COLUMN public_id;
    `);
  },
};
