import type { PostgresMigration } from './migration';

/** As ../0002-orders.ts; order_items keep their position, for answers in the order asked. */
export const orders: PostgresMigration = {
  name: '0002-orders',
  async up(client) {
    await client.query(`
      CREATE TABLE orders (
        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        customer   text NOT NULL CHECK (length(customer) BETWEEN 1 AND 64),
        created_at text NOT NULL
      );

      CREATE TABLE order_items (
        order_id   bigint NOT NULL REFERENCES orders (id),
        position   integer NOT NULL,
        ingredient text NOT NULL REFERENCES ingredients (name),
        quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
        PRIMARY KEY (order_id, ingredient)
      );

      CREATE TABLE idempotency_keys (
        customer        text NOT NULL,
        idempotency_key text NOT NULL,
        fingerprint     text NOT NULL,
        status          integer NOT NULL,
        body            text NOT NULL,
        expires_at      bigint NOT NULL,
        PRIMARY KEY (customer, idempotency_key)
      );
      CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
    `);
  },
  async down(client) {
    await client.query('DROP TABLE idempotency_keys; DROP TABLE order_items; DROP TABLE orders;');
  },
};
