#!/usr/bin/env node
// A keyed order's latency with and without a backlog of expired idempotency keys (SQLite): the
// same built chillybin started twice on fresh databases, one of them given `--keys` expired
// keys before it starts (its sweeper then works through them, in bounded steps, while the
// orders are measured). Orders go one at a time, each with a new key, so each latency is the
// request's own, not a queue's.
//
//   node bench/key-backlog.mjs [--root .] [--keys 500000] [--orders 300]
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import testkit from '@toasties/testkit';
import { json, killQuiet, production, restock, startQuiet, v2Body } from '../scripts/lib/bench-kit.mjs';

process.on('exit', testkit.removeTempDirs);
const { values } = parseArgs({
  options: {
    root: { type: 'string', default: new URL('..', import.meta.url).pathname },
    keys: { type: 'string', default: '500000' },
    orders: { type: 'string', default: '300' },
  },
});
const main = `${resolve(values.root)}/services/chillybin/dist/main.js`;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** `count` keys that expired an hour ago, written straight into the database (the service stopped). */
function expiredKeys(path, count) {
  const db = new Database(path);
  const insert = db.prepare("INSERT INTO idempotency_keys (customer, idempotency_key, fingerprint, status, body, expires_at) VALUES ('backlog', ?, 'f', 201, '{}', ?)");
  const expired = Date.now() - 3_600_000;
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`key-${i}`, expired);
  })();
  db.close();
}

async function measure(backlog) {
  const env = { ...production, DATABASE_PATH: testkit.freshDatabasePath('backlog') };
  const migrated = await startQuiet(main, env); // the schema, then stopped for the fill
  await migrated.stop();
  if (backlog > 0) expiredKeys(env.DATABASE_PATH, backlog);
  const chillybin = await startQuiet(main, env);
  await restock(chillybin.url);
  const ms = [];
  for (let i = 0; i < Number(values.orders); i++) {
    const started = performance.now();
    const answer = await fetch(`${chillybin.url}/v2/pick`, { method: 'POST', headers: { ...json, 'idempotency-key': `"${randomUUID()}"` }, body: v2Body });
    await answer.arrayBuffer();
    if (answer.status !== 201) throw new Error(`order answered ${answer.status}`);
    ms.push(performance.now() - started);
  }
  const left = new Database(env.DATABASE_PATH, { readonly: true }).prepare("SELECT count(*) FROM idempotency_keys WHERE customer = 'backlog'").pluck().get();
  await chillybin.stop();
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50).toFixed(2), p99: percentile(ms, 99).toFixed(2), max: ms.at(-1).toFixed(2), left };
}

async function run() {
  const started = loadavg()[0].toFixed(2);
  const without = await measure(0);
  const withBacklog = await measure(Number(values.keys));
  console.log(`keyed v2 orders one at a time, ${values.orders} each; load average ${started} → ${loadavg()[0].toFixed(2)}`);
  console.log(`  no backlog:                p50 ${without.p50} ms  p99 ${without.p99} ms  max ${without.max} ms`);
  console.log(`  ${values.keys} expired keys: p50 ${withBacklog.p50} ms  p99 ${withBacklog.p99} ms  max ${withBacklog.max} ms  (${withBacklog.left} still unswept after the orders)`);
}

run()
  .then(async () => {
    await testkit.stopAllProcesses();
    process.exit(0);
  })
  .catch(async (error) => {
    console.error(`key-backlog: ERROR ${error.stack ?? error}`);
    killQuiet();
    await testkit.stopAllProcesses();
    process.exit(1);
  });
