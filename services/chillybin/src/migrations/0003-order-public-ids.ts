import { randomUUID } from 'node:crypto';
import type { Migration } from './migration';

/** SQLite's own: the trigger must work in a connection of a release that predates this migration. */
const SQL_UUID_V4 = `lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-'
  || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))`;

/**
 * Public ids instead of counting row ids (docs/idempotency.md, "Order ids"). Expand only, so
 * the release before keeps working on this schema: the column is nullable, and the trigger
 * fills it for orders that release inserts.
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
