#!/usr/bin/env node
// npm run bench: every row of the goals table (docs/performance.md), measured on loopback against the built
// services, each beside its goal and as a ratio to bench/baseline-server.mjs (bare express +
// one better-sqlite3 decrement) measured in the same run; then chillybin's picks on a durable
// PostgreSQL beside the same picks on SQLite (scripts/lib/bench-postgres.mjs; without
// PostgreSQL's programs those rows are skipped with one line). Writes bench/RESULTS.md and
// prints it. Goals are reported, never asserted: a busy machine moves every figure.
//
//   npm run bench                          # 50 connections, 2 s warm-up + 5 s per load row, 60 s of load before RSS (~6 minutes)
//   npm run bench -- --smoke               # 1 s rows, one start per variant: proves the harness, not the figures
//   npm run bench -- --only v2,toastie50   # some rows (ids: see ROWS), baseline always
//   npm run bench -- --only v1,v2,pg-v1,pg-v2,pg-v1-w2,pg-v2-w2,pg-v1-r3,pg-v2-r3   # docs/scaling.md's figures
//   npm run bench -- --root /tmp/before    # measure another checkout's build (A/B runs, docs/performance.md)
//   npm run bench -- --only reloads --reloads-seconds 30   # toasties with and without a chillybin reload every 4 s
//
// The services run as they would in production (LOG_LEVEL=info, LOG_FORMAT=json, WORKERS=1
// unless a row says otherwise), their stdout into /dev/null: what a log line costs the
// service is measured, not what reading it costs the harness.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import testkit from '@toasties/testkit';
import { PG_ROWS, postgresRows, postgresTable } from './lib/bench-postgres.mjs';
import { baselineScript, json, keyedV2, killQuiet, load as loadFor, median, production, restock, rssOfPid, startChillybin as chillybinOf, startJafflr as jafflrOf, startQuiet, toastie, v2Body, workerRssMb } from './lib/bench-kit.mjs';

const { startService, reloadService, stopAllProcesses, freshDatabasePath, removeTempDirs } = testkit;
process.on('exit', removeTempDirs); // the benchmark databases

const ROWS = ['v1', 'v2', 'v2-key', 'get', ...PG_ROWS, 'toastie50', 'toastie10', 'ready1', 'ready0', 'reload', 'reloads', 'rss', 'connections'];
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    'warmup-seconds': { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    'rss-seconds': { type: 'string', default: '60' },
    'reloads-seconds': { type: 'string', default: '20' },
    starts: { type: 'string', default: '5' },
    only: { type: 'string', default: ROWS.join(',') },
    root: { type: 'string', default: new URL('..', import.meta.url).pathname },
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const smoke = values.smoke;
const seconds = smoke ? 1 : Number(values.seconds);
const warmupSeconds = smoke ? 0 : Number(values['warmup-seconds']);
const connections = Number(values.connections);
const rssSeconds = smoke ? 2 : Number(values['rss-seconds']);
const reloadsSeconds = smoke ? 5 : Number(values['reloads-seconds']);
const starts = smoke ? 1 : Number(values.starts);
const only = new Set(values.only.split(','));
for (const row of only) if (!ROWS.includes(row)) throw new Error(`--only: no row ${row} (rows: ${ROWS.join(', ')})`);
const root = resolve(values.root);
const main = (service) => `${root}/services/${service}/dist/main.js`;
const startChillybin = (env) => chillybinOf(root, env);
const startJafflr = (url, env) => jafflrOf(root, url, env);
/**
 * `options` measured after warmupSeconds of the same load, unmeasured: a row is what the code
 * does once V8 has compiled it (a cold start is what the ready and reload rows measure).
 */
async function warmedUp(options, pids) {
  if (warmupSeconds > 0) await loadFor({ ...options, duration: warmupSeconds });
  return loadFor(options, pids);
}
const load = (options, pids) => warmedUp({ connections, duration: seconds, ...options }, pids);

/** A release's first process of each kind writes its code cache this long after it starts (start.cjs: 5 s). */
const CODE_CACHE_WRITTEN_MS = 6000;

/**
 * Spawn → first 200 on /health/ready, polled every 5 ms; the median of `starts` fresh starts,
 * after one that ran long enough to write the code caches: the rows measure the starts a
 * release makes after its first (reloads, restarts), whatever ran before them.
 */
async function startToReady(service, env) {
  const start = () => startQuiet(main(service), { ...production, ...env }, { probe: '/health/ready', intervalMs: 5 });
  const first = await start();
  await new Promise((done) => setTimeout(done, CODE_CACHE_WRITTEN_MS));
  await first.stop();
  const times = [];
  const cpu = [];
  const workerCpu = [];
  for (let i = 0; i < starts; i++) {
    const running = await start();
    times.push(running.readyMs);
    cpu.push(running.readyCpuMs);
    workerCpu.push(...running.workersCpuMs);
    await running.stop();
  }
  return { ms: median(times), cpuMs: median(cpu), workerCpuMs: workerCpu.length > 0 ? median(workerCpu) : undefined };
}

/**
 * SIGHUP → "reload complete" of a WORKERS=2 service, idle and then under `loadOf(service)`
 * (autocannon, still running through the reload); failed requests counted over the load.
 */
async function reloadTimes(name, start, loadOf) {
  const service = await start();
  const idle = [];
  for (let i = 0; i < starts; i++) {
    const started = performance.now();
    await reloadService(service);
    idle.push(performance.now() - started);
  }
  const instance = autocannon({ connections, duration: 600, ...loadOf(service) });
  const finished = new Promise((done) => instance.on('done', done));
  await new Promise((done) => setTimeout(done, 1000)); // the load in full swing first
  const loaded = [];
  for (let i = 0; i < Math.max(1, Math.ceil(starts / 2)); i++) {
    const started = performance.now();
    await reloadService(service);
    loaded.push(performance.now() - started);
  }
  instance.stop();
  const result = await finished;
  await service.stop('SIGTERM');
  return { name, idleMs: median(idle), loadedMs: median(loaded), failed: result.errors + result.timeouts + result.non2xx, requests: result.requests.total };
}

/** What a reload may spend starting each new worker. */
const WORKER_CPU_GOAL_MS = 150;

/** How often the "under reloads" row reloads chillybin. */
const RELOAD_EVERY_MS = 4000;

/**
 * Toasties at 50 connections through jafflr to a WORKERS=2 chillybin, for `reloadsSeconds`
 * without reloads and then as long again with a chillybin reload begun every RELOAD_EVERY_MS
 * (or as soon as the one before completes, when it took longer).
 */
async function underReloads() {
  const chillybin = await startService(main('chillybin'), { ...production, WORKERS: '2', DATABASE_PATH: freshDatabasePath('bench') });
  await restock(chillybin.url);
  const jafflr = await startJafflr(chillybin.url);
  const toasties = { ...toastie(jafflr), connections: 50, duration: reloadsSeconds };
  const steady = await warmedUp(toasties);
  let loading = true;
  let reloads = 0;
  const reloading = (async () => {
    const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
    await sleep(RELOAD_EVERY_MS / 4);
    while (loading) {
      const started = performance.now();
      await reloadService(chillybin);
      reloads += 1;
      await sleep(Math.max(0, RELOAD_EVERY_MS - (performance.now() - started)));
    }
  })();
  reloading.catch(() => undefined); // a reload that stopped fails the row once the load is over, not the process mid-load
  const reloaded = await loadFor(toasties);
  loading = false;
  await reloading;
  await jafflr.stop();
  await chillybin.stop('SIGTERM');
  return { steady, reloaded, reloads };
}

/**
 * A slow chillybin: answers every request after `delayMs`, and counts the TCP connections
 * open at once (what a bounded client must keep under its setting).
 */
async function slowChillybin(delayMs) {
  // An order as the contract has it: jafflr refuses any other shape as a bad answer.
  const BENCH_ORDER = { order: { id: 'bench', customer: 'bench', items: [{ ingredient: 'cheese', quantity: 1 }], createdAt: new Date().toISOString() } };
  let open = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        const created = req.url === '/v2/pick';
        res.writeHead(created ? 201 : 200, json).end(created ? JSON.stringify(BENCH_ORDER) : '{}');
      }, req.url === '/health' ? 0 : delayMs);
    });
  });
  server.on('connection', (socket) => {
    open += 1;
    peak = Math.max(peak, open);
    socket.on('close', () => (open -= 1));
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get peak() {
      return peak;
    },
    reset: () => (peak = open),
    close: () => new Promise((done) => (server.closeAllConnections(), server.close(done))),
  };
}

async function run() {
  const rows = [];
  const out = (row) => {
    rows.push(row);
    console.error(`bench: ${row.what}: ${row.value}${row.ratio === undefined ? '' : ` (${row.ratio.toFixed(2)}× baseline)`}`);
  };
  const loadAverage = loadavg().map((n) => n.toFixed(2)).join(', ');

  // The baseline: throughput, its start (spawn → first answer) and its RSS after that load.
  const baseline = await startQuiet(baselineScript, {}, { probe: '/', intervalMs: 5 });
  const base = await load({ url: `${baseline.url}/pick?name=cheese`, method: 'POST' }, [baseline.pid]);
  const baseRssMb = rssOfPid(baseline.pid);
  await baseline.stop();
  const baseStarts = [];
  const baseStartCpu = [];
  for (let i = 0; i < starts; i++) {
    const again = await startQuiet(baselineScript, {}, { probe: '/', intervalMs: 5 });
    baseStarts.push(again.readyMs);
    baseStartCpu.push(again.readyCpuMs);
    await again.stop();
  }
  const baseStartMs = median(baseStarts);
  out({ what: 'baseline: express + better-sqlite3 decrement', value: `${base.rps} req/s, p99 ${base.p99} ms, ${Math.round(base.cpuUs)} µs CPU/request; start ${Math.round(baseStartMs)} ms (${Math.round(median(baseStartCpu))} ms of CPU); RSS ${Math.round(baseRssMb)} MB`, goal: '—', met: undefined, ratio: 1 });

  // Met by req/s in this run; the CPU ratio (baseline µs/request over the row's) says what a quiet machine would show.
  const throughput = (what, result, goal) =>
    out({
      what,
      value: `${result.rps} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.failed} failed; ${Math.round(result.cpuUs)} µs CPU/request (${(base.cpuUs / result.cpuUs).toFixed(2)}× by CPU)`,
      ratio: result.rps / base.rps,
      goal: goal.text,
      met: goal.met(result),
    });

  const sqlite = {}; // the SQLite picks, which the PostgreSQL rows stand beside
  if (['v1', 'v2', 'v2-key', 'get'].some((row) => only.has(row))) {
    const chillybin = await startChillybin();
    const pids = [chillybin.pid];
    if (only.has('v1')) throughput('chillybin v1 pick', (sqlite['v1-w1'] = await load({ url: `${chillybin.url}/pick?name=cheese&quantity=1`, method: 'POST' }, pids)), { text: '≥ 0.75×', met: (r) => r.rps / base.rps >= 0.75 });
    if (only.has('v2')) throughput('chillybin v2 pick', (sqlite['v2-w1'] = await load({ url: `${chillybin.url}/v2/pick`, method: 'POST', headers: json, body: v2Body }, pids)), { text: '≥ 0.50×', met: (r) => r.rps / base.rps >= 0.5 });
    if (only.has('v2-key')) throughput('chillybin v2 pick, a new Idempotency-Key each (jafflr\'s path)', (sqlite['v2-key-w1'] = await load(keyedV2(chillybin.url), pids)), { text: '≥ 0.40×', met: (r) => r.rps / base.rps >= 0.4 });
    if (only.has('get')) throughput('chillybin GET /', await load({ url: `${chillybin.url}/` }, pids), { text: '≥ 0.85×', met: (r) => r.rps / base.rps >= 0.85 });
    await chillybin.stop();
  }
  const postgres = await postgresRows({ only, root, connections, duration: seconds, sqlite });

  if (only.has('toastie50') || only.has('toastie10')) {
    const chillybin = await startChillybin();
    const jafflr = await startJafflr(chillybin.url);
    if (only.has('toastie50')) {
      throughput(`jafflr toastie via v2, 50 connections`, await load({ ...toastie(jafflr), connections: 50 }, [jafflr.pid, chillybin.pid]), { text: '≥ 0.30×, p99 ≤ 60 ms', met: (r) => r.rps / base.rps >= 0.3 && r.p99 <= 60 });
    }
    if (only.has('toastie10')) throughput(`jafflr toastie via v2, 10 connections`, await load({ ...toastie(jafflr), connections: 10 }, [jafflr.pid, chillybin.pid]), { text: 'p99 ≤ 20 ms', met: (r) => r.p99 <= 20 });
    await jafflr.stop();
    await chillybin.stop();
  }

  for (const workers of ['1', '0']) {
    if (!only.has(`ready${workers}`)) continue;
    const goalMs = workers === '1' ? 500 : 300;
    const chillybinMs = await startToReady('chillybin', { WORKERS: workers, DATABASE_PATH: freshDatabasePath('bench') });
    const chillybin = await startChillybin(); // jafflr is ready when its chillybin is
    const jafflrMs = await startToReady('jafflr', { WORKERS: workers, CHILLYBIN_URL: chillybin.url });
    await chillybin.stop();
    for (const [service, { ms, cpuMs, workerCpuMs }] of [['chillybin', chillybinMs], ['jafflr', jafflrMs]]) {
      const worker = workerCpuMs === undefined ? '' : `; the worker's own ${Math.round(workerCpuMs)} ms`;
      const workerGoal = workerCpuMs === undefined ? '' : `, the worker ≤ ${WORKER_CPU_GOAL_MS} ms of CPU`;
      const met = ms <= goalMs && (workerCpuMs === undefined || workerCpuMs <= WORKER_CPU_GOAL_MS);
      out({ what: `start to ready, ${service}, WORKERS=${workers} (median of ${starts})`, value: `${Math.round(ms)} ms (${Math.round(cpuMs)} ms of CPU${worker})`, ratio: ms / baseStartMs, goal: `≤ ${goalMs} ms${workerGoal}`, met });
    }
  }

  if (only.has('reload')) {
    const chillybinOf = async () => {
      const service = await startService(main('chillybin'), { ...production, WORKERS: '2', DATABASE_PATH: freshDatabasePath('bench') });
      await restock(service.url);
      return service;
    };
    const upstream = await startChillybin();
    const results = [
      await reloadTimes('chillybin', chillybinOf, (service) => ({ url: `${service.url}/v2/pick`, method: 'POST', headers: json, body: v2Body })),
      await reloadTimes('jafflr', () => startService(main('jafflr'), { ...production, WORKERS: '2', CHILLYBIN_URL: upstream.url, COOK_TIME_SCALE: '0', FLAG_PICK_V2: 'on' }), toastie),
    ];
    await upstream.stop();
    for (const { name, idleMs, loadedMs, failed, requests } of results) {
      out({ what: `reload, ${name}, WORKERS=2, idle`, value: `${Math.round(idleMs)} ms`, ratio: idleMs / baseStartMs, goal: '≤ 800 ms', met: idleMs <= 800 });
      out({ what: `reload, ${name}, WORKERS=2, under load`, value: `${Math.round(loadedMs)} ms, ${failed} failed of ${requests}`, ratio: loadedMs / baseStartMs, goal: '≤ 2000 ms, 0 failed', met: loadedMs <= 2000 && failed === 0 });
    }
  }

  if (only.has('reloads')) {
    const { steady, reloaded, reloads } = await underReloads();
    const each = (result) => `${result.rps} req/s, p99 ${result.p99} ms (max ${result.max} ms), ${result.failed} failed`;
    out({ what: `toastie at 50 connections, chillybin WORKERS=2, ${reloadsSeconds} s without reloads`, value: each(steady), ratio: steady.rps / base.rps, goal: '—', met: undefined });
    out({
      what: `the same under reloads: a chillybin reload every ${RELOAD_EVERY_MS / 1000} s (${reloads} reloads)`,
      value: `${each(reloaded)}; ${Math.round((100 * reloaded.rps) / steady.rps)} % of the throughput, ${(reloaded.p99 / steady.p99).toFixed(1)}× the p99`,
      ratio: reloaded.rps / base.rps,
      goal: '≥ 80 % of the throughput, ≤ 2× the p99, 0 failed',
      met: reloaded.rps >= 0.8 * steady.rps && reloaded.p99 <= 2 * steady.p99 && reloaded.failed === 0,
    });
  }

  if (only.has('rss')) {
    const chillybin = await startChillybin();
    const jafflr = await startJafflr(chillybin.url);
    const result = await loadFor({ connections, ...toastie(jafflr), duration: rssSeconds });
    const jafflrMb = Math.max(...workerRssMb(jafflr.pid));
    const chillybinMb = Math.max(...workerRssMb(chillybin.pid));
    await jafflr.stop();
    await chillybin.stop();
    for (const [service, mb] of [['jafflr', jafflrMb], ['chillybin', chillybinMb]]) {
      out({ what: `worker RSS after ${rssSeconds} s of toastie load (${result.rps} toasties/s), ${service}`, value: `${Math.round(mb)} MB`, ratio: mb / baseRssMb, goal: '≤ 150 MB', met: mb <= 150 });
    }
  }

  if (only.has('connections')) {
    // Each toastie waits on a chillybin that takes 1 s: 500 toasties in flight at once.
    const slow = await slowChillybin(smoke ? 100 : 1000);
    for (const flag of ['off', 'on']) {
      const jafflr = await startJafflr(slow.url, { FLAG_PICK_V2: flag, CHILLYBIN_TIMEOUT_MS: '60000' });
      slow.reset();
      const result = await autocannon({ ...toastie(jafflr), connections: 500, amount: 500, timeout: 120 });
      await jafflr.stop();
      const max = Number(process.env.CHILLYBIN_MAX_CONNECTIONS ?? 64);
      const failed = result.non2xx + result.errors + result.timeouts;
      out({
        what: `connections jafflr → a slow chillybin, 500 toasties in flight, ${flag === 'on' ? 'v2' : 'v1'}`,
        value: `${slow.peak} at once (${failed} of 500 failed)`,
        goal: `≤ CHILLYBIN_MAX_CONNECTIONS (${max}) per worker, 0 failed`,
        met: slow.peak <= max && failed === 0,
      });
    }
    await slow.close();
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}`;
  const command = `node scripts/bench.mjs ${process.argv.slice(2).join(' ')}`.trim();
  const table = [
    `# Benchmark results`,
    ``,
    `Measured ${new Date().toISOString()} on ${machine}; load average at the start ${loadAverage}.`,
    `Command: \`${command}\` (${smoke ? 'SMOKE: proves the harness, the figures mean nothing; ' : ''}autocannon, ${connections} keep-alive connections, ${seconds} s per load row, loopback, LOG_LEVEL=info, WORKERS=1 unless said, COOK_TIME_SCALE=0, pick.v2 on).`,
    `Build measured: ${root}.`,
    ``,
    `| what | measured | × baseline | goal | met |`,
    `|---|---:|---:|---|---|`,
    ...rows.map((row) => `| ${row.what} | ${row.value} | ${row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)}×`} | ${row.goal} | ${row.met === undefined ? '' : row.met ? 'yes' : 'no'} |`),
    ``,
    `× baseline: req/s over the baseline's req/s (higher is better); start, reload: over the baseline's spawn → first answer, RSS: over the baseline's RSS after its load (lower is better).`,
    ``,
    ...postgresTable(postgres, base.rps),
  ].join('\n');
  writeFileSync(values.out ?? new URL('../bench/RESULTS.md', import.meta.url).pathname, table);
  console.log(table);
}

run()
  .then(async () => {
    await stopAllProcesses();
    process.exit(0);
  })
  .catch(async (error) => {
    console.error(`bench: ERROR ${error.stack ?? error}`);
    killQuiet();
    await stopAllProcesses();
    process.exit(1);
  });
