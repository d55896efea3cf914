#!/usr/bin/env node
// chillybin's picks on PostgreSQL beside SQLite, in the same run: v1 and v2 picks, 1 and 2
// workers, 1 and 3 replicas (PostgreSQL only: SQLite is one file on one machine). A
// separate script from scripts/bench.mjs (the request path's benchmark); docs/scaling.md
// has the figures. Needs a PostgreSQL server's programs (apt-get install postgresql): one
// is started in a temporary directory and removed after. Targets are reported, never asserted.
//
//   npm run build && node scripts/bench-postgres.mjs               # 50 connections, 5 s a row
//   node scripts/bench-postgres.mjs --seconds 2 --connections 30   # quicker, noisier
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import testkit from '@toasties/testkit';

const { startService, stopAllProcesses, freshDatabasePath, removeTempDirs, freePort, startPostgres } = testkit;
process.on('exit', removeTempDirs);
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '50' } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const main = new URL('../services/chillybin/dist/main.js', import.meta.url).pathname;
const BIG_STOCK = { cheese: 1_000_000, bread: 1_000_000 };
const V2_BODY = JSON.stringify({ customer: 'bench', items: [{ ingredient: 'cheese', quantity: 1 }, { ingredient: 'bread', quantity: 2 }] });
const REQUESTS = {
  v1: { method: 'POST', path: '/pick?name=cheese&quantity=1' },
  v2: { method: 'POST', path: '/v2/pick', headers: { 'content-type': 'application/json' }, body: V2_BODY },
};

async function startReplicas(count, env) {
  const replicas = [];
  for (let i = 0; i < count; i++) replicas.push(await startService(main, { LOG_LEVEL: 'warn', PORT: String(await freePort()), ...env }));
  const restocked = await fetch(`${replicas[0].url}/restock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BIG_STOCK) });
  if (!restocked.ok) throw new Error(`restock refused: ${restocked.status} ${await restocked.text()}`);
  return replicas;
}

/** The connections split over the replicas (a load balancer's share each), one autocannon per replica, at once. */
async function measure(replicas, api) {
  const { path, ...request } = REQUESTS[api];
  const results = await Promise.all(
    replicas.map((replica, i) =>
      autocannon({ url: `${replica.url}${path}`, ...request, duration: seconds, connections: Math.floor(connections / replicas.length) + (i < connections % replicas.length ? 1 : 0) }),
    ),
  );
  return {
    rps: Math.round(results.reduce((sum, r) => sum + r.requests.average, 0)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    failed: results.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
  };
}

async function run() {
  const postgres = await startPostgres();
  const rows = [];
  const scenarios = [
    ['SQLite', 1, '1'],
    ['SQLite', 1, '2'],
    ['PostgreSQL', 1, '1'],
    ['PostgreSQL', 1, '2'],
    ['PostgreSQL', 3, '1'],
  ];
  let n = 0;
  for (const [backend, replicaCount, workers] of scenarios) {
    const database = backend === 'SQLite' ? { DATABASE_PATH: freshDatabasePath('bench-pg') } : { DATABASE_URL: await postgres.createDatabase(`bench_${++n}`) };
    const replicas = await startReplicas(replicaCount, { WORKERS: workers, ...database });
    for (const api of ['v1', 'v2']) {
      const result = await measure(replicas, api);
      rows.push({ backend, api, workers, replicas: replicaCount, ...result });
      console.error(`  ${backend} ${api} workers=${workers} replicas=${replicaCount}: ${result.rps} req/s, p99 ${result.p99} ms, ${result.failed} failed`);
    }
    await Promise.all(replicas.map((replica) => replica.stop()));
  }
  await postgres.stop();
  console.log(`${cpus().length} cores, ${connections} connections, ${seconds} s a row, loopback; PostgreSQL (testkit's test server: fsync off, so compare shapes, not absolutes)\n`);
  console.log('| database | pick | workers | replicas | req/s | p99 ms | failed |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.backend} | ${r.api} | ${r.workers} | ${r.replicas} | ${r.rps} | ${r.p99} | ${r.failed} |`);
}

run()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => stopAllProcesses());
