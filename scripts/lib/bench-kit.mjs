// What scripts/bench.mjs and bench/ab.mjs share: start a built service quietly, load it with
// autocannon, and read what it cost from /proc (Linux).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import testkit from '@toasties/testkit';

const { freePort, freshDatabasePath, tempDir, waitFor } = testkit;

export const json = { 'content-type': 'application/json' };
export const BIG_STOCK = { cheese: 1_000_000, bread: 1_000_000 }; // the most a restock takes
/** As in production: a log line per request costs what it costs. */
export const production = { LOG_LEVEL: 'info', LOG_FORMAT: 'json', WORKERS: '1' };
export const v2Body = JSON.stringify({ customer: 'bench', items: [{ ingredient: 'cheese', quantity: 1 }] });
/** v2 picks as jafflr sends them: a new Idempotency-Key each (autocannon options for the service at `url`). */
export const keyedV2 = (url) => ({
  url,
  requests: [{ method: 'POST', path: '/v2/pick', headers: json, body: v2Body, setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } }) }],
});
export const baselineScript = new URL('../../bench/baseline-server.mjs', import.meta.url).pathname;

/** Started by startQuiet (not testkit's spawn, which reads every line): killQuiet() ends them. */
const quietChildren = new Set();
export const killQuiet = () => {
  for (const child of quietChildren) child.kill('SIGKILL');
};

/**
 * A process with its stdout in /dev/null (what a log line costs the service is measured, not
 * what reading it costs the harness), ready when `probe` answers (baseline: '/', a 404).
 */
export async function startQuiet(script, env, { probe = '/health', intervalMs = 20, nodeArgs = [] } = {}) {
  const port = await freePort();
  const started = performance.now();
  // Its temporary files (the baseline's database) in a folder the harness removes at exit
  // (removeTempDirs): a child killed outright cannot remove its own.
  const child = spawn(process.execPath, [...nodeArgs, script], { env: { ...process.env, TMPDIR: tempDir('bench'), ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  quietChildren.add(child);
  const exited = new Promise((done) => child.once('exit', done));
  child.once('exit', () => quietChildren.delete(child));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
      const { status } = await fetch(`${url}${probe}`);
      return probe === '/' ? status === 404 : status === 200;
    },
    { timeoutMs: 60_000, intervalMs, what: `${script} ready on ${probe}` },
  );
  const readyMs = performance.now() - started;
  // The CPU it took to get there (primary and workers): the part of a start a busy machine does not stretch.
  const readyCpuMs = cpuSeconds(child.pid) * 1000;
  // A cluster's workers each on their own: what a reload pays per worker it starts.
  const workersCpuMs = childrenOf(child.pid).map((pid) => cpuSeconds(pid) * 1000);
  return {
    url,
    pid: child.pid,
    readyMs,
    readyCpuMs,
    workersCpuMs,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Enough stock that no row runs out (an out_of_stock answer would count as failed). */
export async function restock(url) {
  const answer = await fetch(`${url}/restock`, { method: 'POST', headers: json, body: JSON.stringify(BIG_STOCK) });
  if (!answer.ok) throw new Error(`restock: ${answer.status} ${await answer.text()}`);
}

export async function startChillybin(root, env = {}, options = {}) {
  const chillybin = await startQuiet(`${root}/services/chillybin/dist/main.js`, { ...production, DATABASE_PATH: freshDatabasePath('bench'), ...env }, options);
  await restock(chillybin.url);
  return chillybin;
}

export const startJafflr = (root, chillybinUrl, env = {}, options = {}) =>
  startQuiet(`${root}/services/jafflr/dist/main.js`, { ...production, CHILLYBIN_URL: chillybinUrl, COOK_TIME_SCALE: '0', FLAG_PICK_V2: 'on', ...env }, options);

export const toastie = (jafflr) => ({ url: `${jafflr.url}/toastie?i=cheese&customer=bench`, method: 'POST' });

export const childrenOf = (pid) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
export const rssOfPid = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
/** Resident set of each cluster worker (the primary's children), in MB. */
export const workerRssMb = (primaryPid) => childrenOf(primaryPid).map(rssOfPid);

/**
 * CPU seconds used so far by a process and its cluster workers (utime + stime, in ticks of
 * 1/100 s). On a shared machine req/s moves with the neighbours' load, CPU per request less.
 */
export function cpuSeconds(pid) {
  return [pid, ...childrenOf(pid)].reduce((sum, p) => sum + cpuTicks(p), 0) / 100;
}

/** CPU used so far by one process, in ticks of 1/100 s (utime + stime). */
export function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * autocannon with `options`; req/s, p50/p99 ms, failed = errors + timeouts + non-2xx, and µs of
 * CPU per request spent by the processes `pids` (the service, or jafflr and its chillybin).
 */
export async function load(options, pids = []) {
  const cpuBefore = pids.map(cpuSeconds);
  const result = await autocannon(options);
  const cpu = pids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - cpuBefore[i], 0);
  const total = result.requests.total || 1;
  return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, failed: result.errors + result.timeouts + result.non2xx, cpuUs: (cpu * 1e6) / total, total };
}

export const median = (numbers) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];
