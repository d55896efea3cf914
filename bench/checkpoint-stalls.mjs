#!/usr/bin/env node
// What WAL checkpoints cost the requests of a SQLite chillybin: the built use case (orderV2, a
// keyed order with a new key each) over its store, one order at a time, timed each, with
// SQLite's automatic checkpoint (inside the COMMIT that crosses 1,000 pages) and with the
// checkpoint thread the service runs (store/sqlite/checkpointer.ts), alternately. One at a
// time, each latency is the order's own: a checkpoint in its COMMIT shows as a slow order.
//
//   node bench/checkpoint-stalls.mjs [--root .] [--orders 8000] [--runs 2]
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import testkit from '@toasties/testkit';

process.on('exit', testkit.removeTempDirs);
const { values } = parseArgs({
  options: {
    root: { type: 'string', default: new URL('..', import.meta.url).pathname },
    orders: { type: 'string', default: '8000' },
    runs: { type: 'string', default: '2' },
  },
});
const dist = `${resolve(values.root)}/services/chillybin/dist`;
const { createMigrator, createSqliteStore, openDatabase, orderV2 } = await import(`${dist}/app.js`);
const { startCheckpointer } = await import(`${dist}/store/sqlite/checkpointer.js`);
const { defaults } = await import(`${dist}/pick.js`);
const { configSchema } = await import(`${dist}/config.js`);
const settings = configSchema.parse({}); // the service's defaults
const at = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(2);

async function run(thread) {
  const db = openDatabase(testkit.freshDatabasePath('checkpoint-stalls'), { synchronous: settings.SQLITE_SYNCHRONOUS });
  await createMigrator(db).up();
  db.prepare("UPDATE ingredients SET quantity = 10000000 WHERE name = 'cheese'").run();
  const checkpointer = thread ? startCheckpointer(db) : undefined;
  const store = createSqliteStore(db, { lockWaitMs: settings.SQLITE_LOCK_WAIT_MS });
  const picking = { ...defaults, keyTtlMs: settings.IDEMPOTENCY_KEY_TTL_SECONDS * 1000, store };
  const ms = [];
  for (let i = 0; i < Number(values.orders); i++) {
    const started = performance.now();
    const outcome = await orderV2(picking, { customer: 'bench', items: [{ ingredient: 'cheese', quantity: 1 }] }, randomUUID());
    if (outcome.kind !== 'placed') throw new Error(`order: ${outcome.kind}`);
    ms.push(performance.now() - started);
  }
  await checkpointer?.stop();
  await store.close();
  ms.sort((a, b) => a - b);
  const over = ms.filter((m) => m > 2).length;
  console.log(`  ${thread ? 'checkpoint thread       ' : 'automatic, in the COMMIT'}  p50 ${at(ms, 0.5)} ms  p99 ${at(ms, 0.99)} ms  p99.9 ${at(ms, 0.999)} ms  max ${ms.at(-1).toFixed(2)} ms  ${over} orders over 2 ms`);
}

console.log(`${values.orders} keyed orders one at a time, per run:`);
for (let i = 0; i < Number(values.runs); i++) for (const thread of [false, true]) await run(thread);
