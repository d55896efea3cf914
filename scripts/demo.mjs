#!/usr/bin/env node
// The talk, in one terminal (npm run demo): start both services, make toasties, switch
// pick.v2 on for one customer, reload both services under live load while counting
// requests and errors, and stop everything.
//
//   npm run demo                  on :7000/:7001 when they are free (else any free ports)
//   node scripts/demo.mjs --fast  no pauses, no cooking time, a short load (the test's way)
//
// Every wait has a deadline, the whole run has one too, and Ctrl-C stops the services.
import { createServer } from 'node:net';
import { parseArgs, styleText } from 'node:util';
import autocannon from 'autocannon';
import testkit from '@toasties/testkit';

const { startService, stopAllProcesses, freshDatabasePath, removeTempDirs, reloadService, waitFor } = testkit;
const { values: options } = parseArgs({ options: { fast: { type: 'boolean', default: false } } });
const fast = options.fast;

// Stage pacing: a beat to read each answer, cooking 10× faster than real, ~10 s of load.
const pace = fast
  ? { beatMs: 0, cookTimeScale: '0', loadBeforeMs: 1000, loadBetweenMs: 500, loadAfterMs: 1000, connections: 4, deadlineMs: 120_000 }
  : { beatMs: 1500, cookTimeScale: '0.1', loadBeforeMs: 3000, loadBetweenMs: 3000, loadAfterMs: 3000, connections: 10, deadlineMs: 300_000 };

const colour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (style, text) => (colour ? styleText(style, text) : text);
const step = (n, title) => console.log(`\n${paint('bold', `${n}. ${title}`)}`);
const say = (text) => console.log(`   ${text}`);
const show = (label, value) => console.log(`   ${paint('dim', label)} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
const beat = () => new Promise((resolve) => setTimeout(resolve, pace.beatMs));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const main = (name) => new URL(`../services/${name}/dist/main.js`, import.meta.url).pathname;
const services = new Map(); // name → RunningService
const databasePath = freshDatabasePath('demo'); // a new cold store each run, removed at exit

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
  // LOG_LEVEL info: the primary's "reload complete" line is how we know a reload finished.
  const service = await startService(main(name), { WORKERS: '2', LOG_LEVEL: 'info', ...env });
  if (stopping) void service.stop('SIGTERM');
  halted();
  services.set(name, service);
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
const workersOf = async (service) => (await call(`${service.url}/health`)).body.workers.map((w) => `${w.pid}@${w.version}`).join(', ');

/** SIGHUP: the primary replaces its workers one by one; resolves on its "reload complete" line. */
const reload = (name) => reloadService(services.get(name)).catch((error) => Promise.reject(new Error(`${name}: ${error.message}`)));

/** The log lines (JSON, one per request) that carry a request id, as "METHOD /path status". */
function requestLines(service, requestId) {
  return service
    .output()
    .split('\n')
    .filter((line) => line.includes(`"id":"${requestId}"`))
    .map((line) => JSON.parse(line).msg);
}

async function stopAll() {
  const running = [...services.entries()].reverse(); // jafflr first: it calls chillybin
  services.clear();
  for (const [name, service] of running) {
    const exit = await service.stop('SIGTERM', 20_000).catch(() => ({ code: 'killed' }));
    say(`${name} stopped (exit ${exit.code ?? exit.signal})`);
  }
}

async function demo() {
  step(1, 'Start the chillybin (stock in SQLite) and jafflr (the toastie machine)');
  say('Each runs as a primary holding the socket and 2 worker processes (WORKERS=2).');
  const chillybin = await start('chillybin', { PORT: String(await portIfFree(7001)), DATABASE_PATH: databasePath });
  const jafflrEnv = { PORT: String(await portIfFree(7000)), CHILLYBIN_URL: chillybin.url, COOK_TIME_SCALE: pace.cookTimeScale };
  let jafflr = await start('jafflr', jafflrEnv);
  await waitFor(async () => (await call(`${jafflr.url}/health/ready`)).status === 200, { timeoutMs: 30_000, what: 'jafflr ready' });
  show('chillybin', `${chillybin.url}  pid ${chillybin.pid}, workers ${await workersOf(chillybin)}`);
  show('jafflr   ', `${jafflr.url}  pid ${jafflr.pid}, workers ${await workersOf(jafflr)}`);
  await beat();

  step(2, 'Make toasties');
  show('stock', (await call(`${chillybin.url}/`)).body);
  for (const customer of ['gita', 'gwyn']) {
    const requestId = `demo-${customer}-1`;
    const made = await call(`${jafflr.url}/toastie?i=cheese&i=vegemite&doneness=light&customer=${customer}`, { method: 'POST', headers: { 'x-request-id': requestId } });
    show(`POST /toastie for ${customer} →`, `${made.status} ${JSON.stringify(made.body)}`);
  }
  show('stock', (await call(`${chillybin.url}/`)).body);
  // v1: one pick per ingredient, bread included (3 lines); the log line follows the answer.
  await waitFor(() => requestLines(jafflr, 'demo-gita-1').length >= 1 && requestLines(chillybin, 'demo-gita-1').length >= 3, { timeoutMs: 5000, what: 'the log lines of gita\'s toastie' });
  say('One X-Request-Id follows gita\'s toastie through both services\' logs:');
  show('  jafflr   ', requestLines(jafflr, 'demo-gita-1').join(' | '));
  show('  chillybin', requestLines(chillybin, 'demo-gita-1').join(' | '));
  say('"api":"v1": one POST /pick per ingredient, bread included: the old contract.');
  await beat();

  step(3, 'The foxtrot, step 2: switch pick.v2 on for gita only');
  say('Flags come from the environment at start (or live from Unleash): restart jafflr with FLAG_PICK_V2=gita.');
  await jafflr.stop('SIGTERM', 20_000);
  jafflr = await start('jafflr', { ...jafflrEnv, FLAG_PICK_V2: 'gita' });
  show('jafflr   ', `${jafflr.url}  pid ${jafflr.pid}, workers ${await workersOf(jafflr)}, FLAG_PICK_V2=gita`);
  for (const customer of ['gita', 'gwyn']) {
    const made = await call(`${jafflr.url}/toastie?i=cheese&i=ham&doneness=light&customer=${customer}`, { method: 'POST' });
    show(`POST /toastie for ${customer} →`, `${made.status} ${JSON.stringify(made.body)}`);
    if (made.body.orderId) show(`  GET /v2/orders/${made.body.orderId} →`, (await call(`${chillybin.url}/v2/orders/${made.body.orderId}`)).body);
  }
  say('gita\'s toastie went through one POST /v2/pick, recorded as an order; gwyn\'s still through v1.');
  await beat();

  step(4, 'Deploy under live load: reload both services, worker by worker');
  await call(`${chillybin.url}/restock`, json({ cheese: 1_000_000, bread: 1_000_000 }));
  say(`Load: ${pace.connections} keep-alive connections making toasties through jafflr (and so chillybin).`);
  say('SIGHUP: a new worker starts, passes readiness, takes traffic; only then the old one drains.');
  const live = { requests: 0, errors: 0 };
  const load = autocannon({ url: `${jafflr.url}/toastie?i=cheese&doneness=light&customer=gita`, method: 'POST', connections: pace.connections, duration: 600 });
  load.on('response', (_client, statusCode) => {
    live.requests += 1;
    if (statusCode >= 400) live.errors += 1;
  });
  load.on('reqError', () => (live.errors += 1));
  const startedAt = Date.now();
  const progress = () => say(`${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)} s  ${String(live.requests).padStart(6)} requests  ${live.errors} errors`);
  const ticker = setInterval(progress, 1000);
  try {
    await sleep(pace.loadBeforeMs);
    for (const name of ['chillybin', 'jafflr']) {
      const before = await workersOf(services.get(name));
      await reload(name);
      say(paint('cyan', `${name} reloaded: workers ${before} → ${await workersOf(services.get(name))}`));
      await sleep(pace.loadBetweenMs);
    }
    await sleep(pace.loadAfterMs - pace.loadBetweenMs);
  } finally {
    clearInterval(ticker);
    load.stop();
  }
  const result = await load;
  const failed = result.errors + result.timeouts + result.non2xx;
  progress();
  console.log(paint(failed === 0 ? 'green' : 'red', `   deploy under load: ${result.requests.total} requests, ${failed} errors`));
  await beat();

  step(5, 'Stop: SIGTERM, each worker drains and exits');
  await stopAll();
  console.log(failed === 0 ? '\ndemo: done. Next: the README walks through each step by hand.' : '\ndemo: FAILED: requests failed during the reload');
  return failed === 0;
}

// Every way out stops the services: Ctrl-C, the deadline, an error, or a kill (the last
// resort below). `stopping` also halts the walkthrough, so nothing new starts meanwhile.
let stopping = false;
async function shutdown(code, message) {
  if (stopping) return;
  stopping = true;
  console.log(message);
  setTimeout(() => process.exit(code), 30_000); // even a stuck stop cannot hang the demo
  await stopAll().catch(() => undefined);
  await stopAllProcesses().catch(() => undefined); // one still starting, not yet in `services`
  process.exit(code);
}
process.on('exit', () => {
  for (const service of services.values()) service.child.kill('SIGKILL');
  removeTempDirs();
});
process.on('SIGINT', () => void shutdown(130, '\nCtrl-C: stopping the services…'));
process.on('SIGTERM', () => void shutdown(143, '\nSIGTERM: stopping the services…'));
const deadline = setTimeout(() => void shutdown(1, `demo: gave up after ${pace.deadlineMs / 1000} s`), pace.deadlineMs);

demo()
  .then((ok) => process.exit(ok ? 0 : 1))
  .catch((error) => {
    if (stopping) return; // shutdown() is already on its way out
    clearTimeout(deadline);
    void shutdown(1, `demo: ERROR ${error.message}`);
  });
