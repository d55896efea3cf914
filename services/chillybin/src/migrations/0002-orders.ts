import type { Migration } from './migration';

/** Only new tables, so a v1 release still running during a rolling deploy keeps working. */
export const orders: Migration = {
  name: '0002-orders',
  up(db) {
    db.exec(`
      CREATE TABLE orders (
        id         INTEGER PRIMARY KEY,
        customer   TEXT NOT NULL CHECK (length(customer) BETWEEN 1 AND 64),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE order_items (
        order_id   INTEGER NOT NULL REFERENCES orders (id),
        ingredient TEXT NOT NULL REFERENCES ingredients (name),
        quantity   INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
        PRIMARY KEY (order_id, ingredient)
      ) STRICT;

      -- One row per (customer, key): the request's fingerprint and the answer it got.
      CREATE TABLE idempotency_keys (
        customer        TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        fingerprint     TEXT NOT NULL,
        status          INTEGER NOT NULL,
        body            TEXT NOT NULL,
        expires_at      INTEGER NOT NULL,
        PRIMARY KEY (customer, idempotency_key)
      ) STRICT;
      CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
    `);
  },
  down(db) {
    db.exec('DROP TABLE idempotency_keys; DROP TABLE order_items; DROP TABLE orders;');
  },
};
