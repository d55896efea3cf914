#!/usr/bin/env node
// npm run bench: throughput and latency of the built services on loopback, against a
// bare express + better-sqlite3 baseline measured in the same run. Writes the table to
// bench/RESULTS.md and prints it. Targets are reported, never asserted.
//
//   npm run bench                    # 50 connections, 5 s per scenario (~2 minutes)
//   npm run bench -- --seconds 2     # quicker, noisier
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import testkit from '@toasties/testkit';

const { startService, stopAllProcesses, freshDatabasePath, removeTempDirs, freePort, waitFor } = testkit;
process.on('exit', removeTempDirs); // the benchmark databases
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '50' } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const path = (relative) => new URL(relative, import.meta.url).pathname;
// warn: the services are measured, not their log pipe (at info each request is a line).
const quiet = { LOG_LEVEL: 'warn', WORKERS: '1' };
const on = async (env) => ({ ...quiet, PORT: String(await freePort()), ...env });
const BIG_STOCK = { cheese: 1_000_000, bread: 1_000_000 };

async function startChillybin(env = {}) {
  const service = await startService(path('../services/chillybin/dist/main.js'), await on({ DATABASE_PATH: freshDatabasePath('bench'), ...env }));
  await fetch(`${service.url}/restock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(BIG_STOCK) });
  return service;
}

async function load(name, options) {
  const result = await autocannon({ connections, duration: seconds, ...options });
  return {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}

/** Milliseconds from spawning the process to its first 200 on /health/ready; the median of 3. */
async function startToReady(main, env) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const service = await startService(main, await on(env));
    await waitFor(async () => (await fetch(`${service.url}/health/ready`)).status === 200, { intervalMs: 5 });
    times.push(performance.now() - started);
    await service.stop('SIGTERM');
  }
  return Math.round(times.sort((a, b) => a - b)[1]);
}

const v2Body = JSON.stringify({ customer: 'bench', items: [{ ingredient: 'cheese', quantity: 1 }] });
const json = { 'content-type': 'application/json' };

async function run() {
  const rows = [];
  const baseline = await startService(path('../bench/baseline-server.mjs'), { PORT: '0' });
  rows.push(await load('baseline: express + better-sqlite3 decrement', { url: `${baseline.url}/pick?name=cheese`, method: 'POST' }));
  await baseline.stop();

  for (const synchronous of ['NORMAL', 'FULL']) {
    const chillybin = await startChillybin({ SQLITE_SYNCHRONOUS: synchronous });
    if (synchronous === 'NORMAL') rows.push(await load('chillybin GET / (stock)', { url: `${chillybin.url}/` }));
    rows.push(await load(`chillybin v1 pick (synchronous=${synchronous})`, { url: `${chillybin.url}/pick?name=cheese&quantity=1`, method: 'POST' }));
    rows.push(await load(`chillybin v2 pick (synchronous=${synchronous})`, { url: `${chillybin.url}/v2/pick`, method: 'POST', headers: json, body: v2Body }));
    await chillybin.stop();
  }

  const chillybin = await startChillybin();
  for (const [api, flag] of [['v1', 'off'], ['v2', 'on']]) {
    const jafflr = await startService(path('../services/jafflr/dist/main.js'), await on({ CHILLYBIN_URL: chillybin.url, COOK_TIME_SCALE: '0', FLAG_PICK_V2: flag }));
    rows.push(await load(`jafflr toastie through ${api}`, { url: `${jafflr.url}/toastie?i=cheese&customer=bench`, method: 'POST' }));
    await jafflr.stop();
  }
  const jafflrReady = await startToReady(path('../services/jafflr/dist/main.js'), { CHILLYBIN_URL: chillybin.url });
  await chillybin.stop();
  const chillybinReady = await startToReady(path('../services/chillybin/dist/main.js'), { DATABASE_PATH: freshDatabasePath('bench') });

  const base = rows[0].rps;
  const v2 = rows.find((row) => row.name === 'chillybin v2 pick (synchronous=NORMAL)');
  const toastieP99 = Math.max(...rows.filter((row) => row.name.startsWith('jafflr')).map((row) => row.p99));
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}`;
  const table = [
    `# Benchmark results`,
    ``,
    `Measured ${new Date().toISOString()} on ${machine}.`,
    `Command: \`npm run bench -- --seconds ${seconds} --connections ${connections}\` (autocannon, ${connections} keep-alive connections, ${seconds} s per row, loopback, COOK_TIME_SCALE=0, WORKERS=1, LOG_LEVEL=warn).`,
    ``,
    `| scenario | req/s | p50 ms | p99 ms | failed | × baseline |`,
    `|---|---:|---:|---:|---:|---:|`,
    ...rows.map((row) => `| ${row.name} | ${row.rps} | ${row.p50} | ${row.p99} | ${row.failed} | ${(row.rps / base).toFixed(2)} |`),
    ``,
    `| start to ready (median of 3) | ms |`,
    `|---|---:|`,
    `| chillybin (primary + 1 worker, new database) | ${chillybinReady} |`,
    `| jafflr (primary + 1 worker) | ${jafflrReady} |`,
    ``,
    `Targets (reported, not asserted):`,
    `- v2 pick ≥ 0.8 × baseline: ${(v2.rps / base).toFixed(2)} × — ${v2.rps / base >= 0.8 ? 'met' : 'not met'}`,
    `- jafflr toastie p99 ≤ 25 ms at ${connections} connections: ${toastieP99} ms — ${toastieP99 <= 25 ? 'met' : 'not met'}`,
    `- start to ready ≤ 400 ms: chillybin ${chillybinReady} ms, jafflr ${jafflrReady} ms — ${Math.max(chillybinReady, jafflrReady) <= 400 ? 'met' : 'not met'}`,
    ``,
  ].join('\n');
  writeFileSync(path('../bench/RESULTS.md'), table);
  console.log(table);
}

run()
  .then(() => process.exit(0))
  .catch(async (error) => {
    console.error(`bench: ERROR ${error.stack ?? error}`);
    await stopAllProcesses();
    process.exit(1);
  });
