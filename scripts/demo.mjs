#!/usr/bin/env node
// The talk, in one terminal (npm run demo): start both services on release demo-1, make
// toasties, follow one request through both services, switch pick.v2 on for one customer,
// then deploy release demo-2 under live load, worker by worker, watching each worker's
// version and requests per second, and stop everything. Every line fits 100 columns.
//
//   npm run demo                  on :7000/:7001 when they are free (else any free ports)
//   npm run demo -- --unleash     pick.v2 switched on in a real Unleash while jafflr serves,
//                                 instead of a restart (needs unleash-server and PostgreSQL)
//   node scripts/demo.mjs --fast  no pauses, no cooking time, a short, steady load (the tests' way)
//
// Every wait has a deadline, the whole run has one too, and Ctrl-C stops the services.
import { cpSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs, styleText } from 'node:util';
import autocannon from 'autocannon';
import testkit from '@toasties/testkit';
import demoTable from './lib/demo-table.cjs';
import { missingForUnleash, REFRESH_MS, runsOf, startFlagServer } from './lib/demo-unleash.mjs';

const { renderSample } = demoTable;
const { startService, stopAllProcesses, freshDatabasePath, removeTempDirs, reloadService, tempDir, waitFor } = testkit;
const { values: options } = parseArgs({ options: { fast: { type: 'boolean', default: false }, unleash: { type: 'boolean', default: false } } });
const fast = options.fast;

// --unleash without what it needs is refused before anything starts.
const missing = options.unleash ? missingForUnleash() : [];
if (missing.length > 0) {
  console.error(`demo: --unleash needs what this machine lacks:\n${missing.map((line) => `  ${line}`).join('\n')}`);
  process.exit(2);
}

// Stage pacing: a beat to read each answer, cooking 10× faster than real, ~10 s of load.
// The audience's load goes as fast as the machine does; --fast (the tests, which share the
// machine with other suites) asks a steady 50 toasties a second, each connection every 80 ms:
// every moment of a reload still meets requests, and the load takes a bounded share of the
// cores instead of all it can get for as long as the reloads last.
const pace = fast
  ? { beatMs: 0, cookTimeScale: '0', loadBeforeMs: 1000, loadBetweenMs: 1000, loadAfterMs: 1000, connections: 4, loadPerSecond: 50, deadlineMs: 120_000 }
  : { beatMs: 1500, cookTimeScale: '0.1', loadBeforeMs: 3000, loadBetweenMs: 3000, loadAfterMs: 3000, connections: 10, deadlineMs: 300_000 };
/** Unleash's first start migrates its database: minutes on a busy machine, added to the deadline. */
const UNLEASH_START_MS = 240_000;

const tty = process.stdout.isTTY;
const colour = tty && !process.env.NO_COLOR;
const paint = (style, text) => (colour ? styleText(style, text) : text);
const step = (n, title) => console.log(`\n${paint('bold', `${n}. ${title}`)}`);
const say = (text) => console.log(`   ${text}`);
const show = (label, text) => console.log(`   ${paint('dim', label)} ${text}`);
const beat = () => new Promise((resolve) => setTimeout(resolve, pace.beatMs));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const repo = new URL('..', import.meta.url).pathname;
const services = new Map(); // name → RunningService
/** Unleash and its PostgreSQL, with --unleash (lib/demo-unleash.mjs). */
let flagServer;
const databasePath = freshDatabasePath('demo'); // a new cold store each run, removed at exit

// ---- releases: what a deploy puts on disk ------------------------------------------------
// Each release is a directory with the service's build and a VERSION file, as
// `npm run deploy` makes them; `current` points at the live one. The primary runs
// `current/dist/main.js`, so a worker forked after the link moves loads the new release.
const releases = tempDir('demo-releases');
symlinkSync(join(repo, 'node_modules'), join(releases, 'node_modules'), 'dir'); // the releases' dependencies

function buildRelease(name, version) {
  const dir = join(releases, name, 'releases', version);
  mkdirSync(dir, { recursive: true });
  cpSync(join(repo, 'services', name, 'dist'), join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'VERSION'), `${version}\n`);
}

/** Point `current` at a release in one rename: no worker ever sees a missing link. */
function switchTo(name, version) {
  const link = join(releases, name, 'current');
  symlinkSync(join('releases', version), `${link}.next`);
  renameSync(`${link}.next`, link);
}

const main = (name) => join(releases, name, 'current', 'dist', 'main.js');
/** Stops a service whose parent went without stopping it (kill -9 of this script). */
const orphanGuard = join(repo, 'scripts', 'stop-when-orphaned.cjs');

// ---- what each worker serves, from the services' own request logs ------------------------
/** pid → { version, requests, errors }, per service: every JSON request line, counted. */
const served = new Map();

function countRequests(name, service) {
  const workers = new Map();
  served.set(name, workers);
  createInterface({ input: service.child.stdout }).on('line', (line) => {
    if (!line.includes('"responseTime"')) return;
    try {
      const { pid, version, req, res } = JSON.parse(line);
      if (/^\/(health|metrics)/.test(req.path)) return; // our own polling, not the audience's toasties
      const worker = workers.get(pid) ?? { version, requests: 0, errors: 0 };
      worker.requests += 1;
      if (res.statusCode >= 500) worker.errors += 1;
      workers.set(pid, worker);
    } catch {
      // not a request line
    }
  });
}

/** The standard port if nothing listens there (so curl in another terminal works), else 0: any free port. */
function portIfFree(port) {
  if (fast) return Promise.resolve(0); // tests never take a developer's ports
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(0));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
  });
}

function halted() {
  if (stopping) throw new Error('stopping');
}

async function start(name, env) {
  halted();
  // LOG_LEVEL info: the request lines feed the live view; "reload complete" ends a reload.
  // VERSION unset: each worker reports the VERSION file of the release it was forked from.
  // A process group of its own: Ctrl-C reaches this script alone, which stops each service
  // once (a second signal from the terminal would force it out mid-drain, exit 1).
  const service = await startService(main(name), { WORKERS: '2', LOG_LEVEL: 'info', VERSION: undefined, ...env }, ['--require', orphanGuard], { ownProcessGroup: true });
  if (stopping) void service.stop('SIGTERM');
  halted();
  services.set(name, service);
  countRequests(name, service);
  await waitFor(async () => (await call(`${service.url}/health`)).body.workers?.length === 2, { timeoutMs: 60_000, what: `${name}'s two workers` });
  return service;
}

async function call(url, init = {}) {
  halted();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const versionsOf = async (service) => (await call(`${service.url}/health`)).body.workers.map((w) => w.version).join(', ');
const stockLine = (stock) => Object.entries(stock).map(([name, quantity]) => `${name} ${quantity}`).join(', ');

/** "gita: cheese + vegemite, light → api v2, order 3f2b8c1e": a toastie's answer, in one line. */
function toastieLine(customer, ingredients, doneness, made) {
  const asked = `${customer}: ${ingredients.join(' + ')}, ${doneness} →`;
  if (made.status !== 200) return `${asked} ${made.status} ${made.body.error ?? ''}`;
  return `${asked} api ${made.body.api}${made.body.orderId ? `, order ${made.body.orderId.slice(0, 8)}` : ''}`;
}

async function makeToastie(jafflr, customer, ingredients, requestId) {
  const query = `${ingredients.map((i) => `i=${i}`).join('&')}&doneness=light&customer=${customer}`;
  const made = await call(`${jafflr.url}/toastie?${query}`, { method: 'POST', headers: requestId ? { 'x-request-id': requestId } : {} });
  say(toastieLine(customer, ingredients, 'light', made));
  return made;
}

/** The request lines (JSON, one per request) that carry a request id, as "METHOD /path status". */
function requestLines(service, requestId) {
  return service
    .output()
    .split('\n')
    .filter((line) => line.includes(`"id":"${requestId}"`))
    .map((line) => JSON.parse(line).msg);
}

/** SIGHUP: the primary replaces its workers one by one; resolves on its "reload complete" line. */
function reload(name) {
  reloading = reloadService(services.get(name)).catch((error) => Promise.reject(new Error(`${name}: ${error.message}`)));
  return reloading;
}
/** The reload under way, if any: Ctrl-C lets it finish (a worker stopped mid-start exits unclean). */
let reloading;
/** The deploy's load and live view, while they run: Ctrl-C stops them first. */
let live;

async function stopAll() {
  const running = [...services.entries()].reverse(); // jafflr first: it calls chillybin
  services.clear();
  for (const [name, service] of running) {
    const exit = await service.stop('SIGTERM', 20_000).catch(() => ({ code: 'killed' }));
    say(`${name} stopped (exit ${exit.code ?? exit.signal})`);
  }
  // Last: jafflr, which reads it, has stopped.
  const flags = flagServer;
  flagServer = undefined;
  if (flags) {
    await flags.stop();
    say('unleash and its PostgreSQL stopped');
  }
}

const workerPids = async (service) => (await call(`${service.url}/health`)).body.workers.map((worker) => worker.pid).join(', ');

/**
 * The foxtrot's step 2 with Unleash: gita and gwyn keep ordering toasties while pick.v2 is
 * created and switched on for gita through Unleash's admin API; jafflr's workers see it at
 * their next poll. Every answer is kept, in order, to show the switch and that none failed.
 */
async function flipInUnleash(jafflr, chillybin) {
  say(`Live, in Unleash (${flagServer.url}): create pick.v2 for gita and switch it on,`);
  say(`while gita and gwyn keep ordering. jafflr polls Unleash every ${REFRESH_MS / 1000} s: no restart.`);
  await call(`${chillybin.url}/restock`, json({ cheese: 1_000_000, bread: 1_000_000 })); // enough for every toastie below
  const pidsBefore = await workerPids(jafflr);
  const answers = { gita: [], gwyn: [] };
  let errors = 0;
  let ordering = true;
  const order = async (customer) => {
    while (ordering && !stopping) {
      const made = await call(`${jafflr.url}/toastie?i=cheese&doneness=light&customer=${customer}`, { method: 'POST' }).catch(() => undefined);
      if (made?.status === 200) answers[customer].push(made.body.api);
      else if (!stopping) errors += 1;
    }
  };
  const customers = [order('gita'), order('gwyn')];
  try {
    await waitFor(() => answers.gita.length >= 3, { timeoutMs: 30_000, what: 'gita\'s first toasties' });
    for (const done of await flagServer.turnOnFor(['gita'])) show('unleash:', done);
    // Seen by every worker gita's toasties reach: her last few answers all v2.
    await waitFor(() => answers.gita.length >= 5 && answers.gita.slice(-5).every((api) => api === 'v2'), { timeoutMs: 60_000, what: 'gita\'s toasties on v2' });
  } finally {
    ordering = false;
    await Promise.all(customers);
  }
  const pidsAfter = await workerPids(jafflr);
  for (const customer of ['gita', 'gwyn']) show(`${customer}:`, runsOf(answers[customer]));
  const restarted = pidsAfter === pidsBefore ? 'the same workers throughout, no restart' : `workers ${pidsBefore} → ${pidsAfter}`;
  console.log(paint(errors === 0 ? 'green' : 'red', `   flip in Unleash: ${errors} errors; jafflr: ${restarted} (pids ${pidsAfter})`));
  return errors === 0;
}

// ---- the live view of a deploy -----------------------------------------------------------
/**
 * Every second: the requests and errors so far, then, per service, each of its workers: its
 * pid, its release and its requests per second. The workers are those /health lists, plus
 * any other that served in that second (an old one draining): no row is ever empty. On a
 * terminal the block is redrawn in place; in a file or pipe each sample is printed.
 */
function liveView(load, startedAt) {
  // service → (pid → requests at the previous sample); from now: earlier toasties do not count
  const counted = new Map([...served].map(([name, workers]) => [name, new Map([...workers].map(([pid, worker]) => [pid, worker.requests]))]));
  const waiting = []; // announcements until the table shows what they say
  const lastListed = new Map(); // service → the workers its /health listed last
  let drawn = 0; // lines of the block on screen (terminal only)
  let lastSeconds = -1;
  let lastAt = startedAt;
  let shown = []; // the last sample, as rendered
  let stopped = false;

  const erase = () => {
    if (tty && drawn > 0) process.stdout.write(`\x1b[${drawn}F\x1b[J`);
    drawn = 0;
  };
  const redraw = () => {
    for (const line of shown) console.log(line);
    drawn = tty ? shown.length : 0;
  };

  async function workersOf(name, elapsedS) {
    const service = services.get(name);
    // A short deadline: a slow /health must not hold up the next sample; the last list stands in.
    const health = service && fetch(`${service.url}/health`, { signal: AbortSignal.timeout(900) }).then((res) => res.json());
    const listed = (await health?.then((body) => body.workers, () => undefined)) ?? lastListed.get(name) ?? [];
    lastListed.set(name, listed);
    const before = counted.get(name) ?? new Map();
    const now = new Map();
    const rows = new Map(listed.map(({ pid, version }) => [pid, { pid, version, perSecond: 0, errors: 0 }]));
    for (const [pid, worker] of served.get(name) ?? []) {
      now.set(pid, worker.requests);
      const requests = worker.requests - (before.get(pid) ?? 0);
      if (requests === 0 && !rows.has(pid)) continue; // gone: neither listed nor serving
      rows.set(pid, { pid, version: worker.version, perSecond: Math.round(requests / elapsedS), errors: worker.errors });
    }
    counted.set(name, now);
    return [...rows.values()].sort((a, b) => a.pid - b.pid); // pids grow: the older workers first
  }

  async function sample() {
    const at = Date.now();
    const elapsedS = Math.max(0.001, (at - lastAt) / 1000);
    lastAt = at;
    const names = ['jafflr', 'chillybin'];
    const workers = await Promise.all(names.map((name) => workersOf(name, elapsedS)));
    if (stopped) return;
    // One row per second, each labelled with its own second, even when a sample runs late.
    lastSeconds = Math.max(lastSeconds + 1, Math.round((at - startedAt) / 1000));
    const rows = names.map((name, index) => ({ name, workers: workers[index] }));
    erase();
    shown = renderSample({ seconds: lastSeconds, requests: load.requests, errors: load.errors, services: rows }, { paint, newVersion: 'demo-2' });
    redraw();
    // A deploy is announced below the first sample that shows it: every worker on the release.
    for (const announcement of [...waiting]) {
      const row = rows.find((candidate) => candidate.name === announcement.name);
      if (row.workers.length === 0 || row.workers.some((worker) => worker.version !== announcement.version)) continue;
      waiting.splice(waiting.indexOf(announcement), 1);
      erase(); // on a terminal, the line stays above the live block
      say(announcement.text(row.workers.map((worker) => worker.version).join(', ')));
      if (tty) redraw();
      announcement.resolve();
    }
  }

  const loop = (async () => {
    while (!stopped) {
      await sleep(1000 - ((Date.now() - startedAt) % 1000));
      if (!stopped) await sample().catch(() => undefined);
    }
  })();

  return {
    /** A line that stays (a deploy step), printed above the live block. */
    event(text) {
      erase();
      say(text);
      if (tty) redraw();
    },
    /**
     * `text(versions)` once the table shows every worker of `name` on `version`; resolves
     * then. Should no sample show it within `timeoutMs`, it is said as not (yet) seen.
     */
    announce(name, version, text, timeoutMs = 20_000) {
      return new Promise((resolve) => {
        const announcement = { name, version, text, resolve };
        waiting.push(announcement);
        setTimeout(() => {
          if (!waiting.includes(announcement)) return;
          waiting.splice(waiting.indexOf(announcement), 1);
          say(`${name}: the table has not shown every worker on ${version} within ${timeoutMs / 1000} s`);
          resolve();
        }, timeoutMs).unref();
      });
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

async function demo() {
  for (const name of ['chillybin', 'jafflr']) {
    buildRelease(name, 'demo-1');
    switchTo(name, 'demo-1');
  }
  step(1, 'Start chillybin (stock in SQLite) and jafflr (the toastie machine), release demo-1');
  say('Each is a primary process holding the socket, with 2 worker processes (WORKERS=2).');
  if (options.unleash) {
    say('jafflr reads its flags from Unleash: unleash-server, on a PostgreSQL of its own, starts');
    say('first (its first start migrates its database: a minute or so).');
    flagServer = await startFlagServer();
    halted();
  }
  const chillybin = await start('chillybin', { PORT: String(await portIfFree(7001)), DATABASE_PATH: databasePath });
  const jafflrEnv = { PORT: String(await portIfFree(7000)), CHILLYBIN_URL: chillybin.url, COOK_TIME_SCALE: pace.cookTimeScale, ...flagServer?.env };
  let jafflr = await start('jafflr', jafflrEnv);
  await waitFor(async () => (await call(`${jafflr.url}/health/ready`)).status === 200, { timeoutMs: 30_000, what: 'jafflr ready' });
  show('chillybin', `${chillybin.url}  workers on ${await versionsOf(chillybin)}`);
  show('jafflr   ', `${jafflr.url}  workers on ${await versionsOf(jafflr)}`);
  if (flagServer) show('unleash  ', `${flagServer.url}  pick.v2 not there yet: off for everyone`);
  await beat();

  step(2, 'Make toasties');
  show('stock:', stockLine((await call(`${chillybin.url}/`)).body));
  for (const customer of ['gita', 'gwyn']) await makeToastie(jafflr, customer, ['cheese', 'vegemite'], `demo-${customer}-1`);
  show('stock:', stockLine((await call(`${chillybin.url}/`)).body));
  // v1: one pick per ingredient, bread included (3 lines); the log line follows the answer.
  await waitFor(() => requestLines(jafflr, 'demo-gita-1').length >= 1 && requestLines(chillybin, 'demo-gita-1').length >= 3, { timeoutMs: 5000, what: 'the log lines of gita\'s toastie' });
  say(`Follow gita's toastie, X-Request-Id ${paint('cyan', 'demo-gita-1')}, through both services' logs:`);
  show('  jafflr   ', requestLines(jafflr, 'demo-gita-1').join(', '));
  show('  chillybin', requestLines(chillybin, 'demo-gita-1').join(', '));
  say('api v1: one POST /pick per ingredient, bread included: the old contract.');
  await beat();

  step(3, 'The foxtrot, step 2: switch pick.v2 on for gita only');
  let flipped = true;
  if (flagServer) {
    flipped = await flipInUnleash(jafflr, chillybin);
  } else {
    say('Flags come from the environment at start (or live from Unleash: npm run demo -- --unleash):');
    say('restart jafflr with FLAG_PICK_V2=gita.');
    await jafflr.stop('SIGTERM', 20_000);
    jafflr = await start('jafflr', { ...jafflrEnv, FLAG_PICK_V2: 'gita' });
  }
  for (const customer of ['gita', 'gwyn']) {
    const made = await makeToastie(jafflr, customer, ['cheese', 'ham']);
    if (!made.body.orderId) continue;
    const { order } = (await call(`${chillybin.url}/v2/orders/${made.body.orderId}`)).body;
    say(`  GET /v2/orders/${made.body.orderId.slice(0, 8)}… → ${order.customer}: ${order.items.map((item) => `${item.ingredient} ${item.quantity}`).join(', ')}`);
  }
  say('gita\'s toastie: one POST /v2/pick, recorded as an order; gwyn\'s still through v1.');
  await beat();

  step(4, 'Deploy release demo-2 under live load, worker by worker');
  await call(`${chillybin.url}/restock`, json({ cheese: 1_000_000, bread: 1_000_000 }));
  say(`Load: ${pace.connections} connections making toasties through jafflr (and so chillybin).`);
  say('Each deploy: demo-2 goes on disk, `current` points at it, SIGHUP. One worker at a time,');
  say('a new worker starts from demo-2, passes readiness, takes traffic; then the old one drains.');
  say(paint('dim', 'Every second: requests and errors so far, then each worker: pid, release, requests/s.'));
  const load = { requests: 0, errors: 0 };
  const cannon = autocannon({ url: `${jafflr.url}/toastie?i=cheese&doneness=light&customer=gita`, method: 'POST', connections: pace.connections, ...(pace.loadPerSecond ? { overallRate: pace.loadPerSecond } : {}), duration: 600 });
  cannon.on('response', (_client, statusCode) => {
    load.requests += 1;
    if (statusCode >= 400) load.errors += 1;
  });
  cannon.on('reqError', () => (load.errors += 1));
  const view = liveView(load, Date.now());
  live = { view, cannon };
  try {
    await sleep(pace.loadBeforeMs);
    for (const name of ['chillybin', 'jafflr']) {
      const before = await versionsOf(services.get(name));
      buildRelease(name, 'demo-2');
      switchTo(name, 'demo-2');
      view.event(paint('cyan', `${name}: current → demo-2, SIGHUP`));
      await reload(name);
      await view.announce(name, 'demo-2', (after) => paint('cyan', `${name} deployed: workers ${before} → ${after}`));
      await sleep(pace.loadBetweenMs);
    }
    await sleep(Math.max(0, pace.loadAfterMs - pace.loadBetweenMs));
  } finally {
    await view.stop();
    cannon.stop();
    live = undefined;
  }
  const result = await cannon;
  const failed = result.errors + result.timeouts + result.non2xx;
  console.log(paint(failed === 0 ? 'green' : 'red', `   deploy under load: ${result.requests.total} requests, ${failed} errors`));
  await beat();

  step(5, 'Stop: SIGTERM, each worker drains and exits');
  await stopAll();
  if (!flipped) console.log('\ndemo: FAILED: toasties failed while pick.v2 was switched on in Unleash');
  else console.log(failed === 0 ? '\ndemo: done. Next: the README walks through each step by hand.' : '\ndemo: FAILED: requests failed during the deploy');
  return failed === 0 && flipped;
}

// Every way out stops the services: Ctrl-C, the deadline, an error, or a kill (the last
// resort below). `stopping` also halts the walkthrough, so nothing new starts meanwhile.
let stopping = false;
async function shutdown(code, message) {
  if (stopping) return;
  stopping = true;
  console.log(message);
  setTimeout(() => process.exit(code), 30_000); // even a stuck stop cannot hang the demo
  live?.cannon.stop();
  void live?.view.stop();
  if (reloading) {
    say('letting the reload under way finish first…');
    await Promise.race([reloading.catch(() => undefined), sleep(20_000)]);
  }
  await stopAll().catch(() => undefined);
  await stopAllProcesses().catch(() => undefined); // one still starting, not yet in `services`
  process.exit(code);
}
process.on('exit', () => {
  for (const service of services.values()) service.child.kill('SIGKILL');
  flagServer?.kill();
  removeTempDirs();
});
process.on('SIGINT', () => void shutdown(130, '\nCtrl-C: stopping the services…'));
process.on('SIGTERM', () => void shutdown(143, '\nSIGTERM: stopping the services…'));
const deadlineMs = pace.deadlineMs + (options.unleash ? UNLEASH_START_MS : 0);
const deadline = setTimeout(() => void shutdown(1, `demo: gave up after ${deadlineMs / 1000} s`), deadlineMs);

demo()
  .then((ok) => process.exit(ok ? 0 : 1))
  .catch((error) => {
    if (stopping) return; // shutdown() is already on its way out
    clearTimeout(deadline);
    void shutdown(1, `demo: ERROR ${error.message}`);
  });
