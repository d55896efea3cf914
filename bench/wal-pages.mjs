#!/usr/bin/env node
// WAL pages written per keyed v2 order on SQLite, by the kind of order id: the built
// chillybin's use case (orderV2) over its store, on a database already holding `--history`
// orders (so the indexes are many pages deep, as in production), with a new key each as jafflr
// sends them; `--together` orders at a time (those share a transaction: the store's coalescing). Checkpoints are off while counting: the WAL's
// frame count (PRAGMA wal_checkpoint's second column) is then every page the orders wrote.
//
//   node bench/wal-pages.mjs [--root .] [--history 100000] [--orders 2000] [--together 1,10]
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import testkit from '@toasties/testkit';

process.on('exit', testkit.removeTempDirs);
const { values } = parseArgs({
  options: {
    root: { type: 'string', default: new URL('..', import.meta.url).pathname },
    history: { type: 'string', default: '100000' },
    orders: { type: 'string', default: '2000' },
    together: { type: 'string', default: '1,10' },
  },
});
const dist = `${resolve(values.root)}/services/chillybin/dist`;
const { createMigrator, createSqliteStore, openDatabase, orderV2 } = await import(`${dist}/app.js`);
const { newOrderId } = await import(`${dist}/order-id.js`);
const { defaults } = await import(`${dist}/pick.js`);
const { configSchema } = await import(`${dist}/config.js`);
const settings = configSchema.parse({}); // the service's defaults

async function pagesPerOrder(newId, together) {
  const db = openDatabase(testkit.freshDatabasePath('wal-pages'), { synchronous: settings.SQLITE_SYNCHRONOUS });
  await createMigrator(db).up();
  db.pragma('wal_autocheckpoint = 0');
  // The history: orders and their keys as weeks of traffic left them.
  const insertOrder = db.prepare('INSERT INTO orders (public_id, customer, created_at) VALUES (?, ?, ?)');
  const item = db.prepare("INSERT INTO order_items (order_id, ingredient, quantity) VALUES (?, 'cheese', 1)");
  const key = db.prepare("INSERT INTO idempotency_keys (customer, idempotency_key, fingerprint, status, body, expires_at) VALUES ('bench', ?, 'f', 201, '{}', ?)");
  const later = Date.now() + 86_400_000;
  db.transaction(() => {
    db.prepare("UPDATE ingredients SET quantity = 1000000 WHERE name = 'cheese'").run();
    for (let i = 0; i < Number(values.history); i++) {
      item.run(insertOrder.run(newId(), 'bench', new Date().toISOString()).lastInsertRowid);
      key.run(randomUUID(), later);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const store = createSqliteStore(db, { lockWaitMs: settings.SQLITE_LOCK_WAIT_MS });
  const picking = { ...defaults, keyTtlMs: settings.IDEMPOTENCY_KEY_TTL_SECONDS * 1000, store, newId };
  const order = () => orderV2(picking, { customer: 'bench', items: [{ ingredient: 'cheese', quantity: 1 }] }, randomUUID());
  for (let i = 0; i < Number(values.orders); i += together) {
    for (const outcome of await Promise.all(Array.from({ length: together }, order))) if (outcome.kind !== 'placed') throw new Error(`order: ${outcome.kind}`);
  }
  const [{ log: frames }] = db.pragma('wal_checkpoint(PASSIVE)');
  await store.close();
  return frames / Number(values.orders);
}

console.log(`WAL pages written per keyed v2 order, ${values.orders} orders over ${values.history} earlier ones:`);
for (const together of values.together.split(',').map(Number)) {
  const v4 = await pagesPerOrder(() => randomUUID(), together);
  const v7 = await pagesPerOrder(() => newOrderId(), together);
  console.log(`  ${String(together).padStart(3)} at a time: UUID v4 ids ${v4.toFixed(2)}, UUID v7 ids ${v7.toFixed(2)}`);
}
