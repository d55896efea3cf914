#!/usr/bin/env node
// An A/B run for docs/performance.md: two builds (e.g. a copy of the tree before a change, and
// after it) and the baseline, all started at once and loaded in turn, in short alternating
// bursts. On a machine shared with other work, each variant then sees the same neighbours;
// one long run after another would not.
//
//   node bench/ab.mjs --row v2 --a /tmp/before --b . [--rounds 6] [--seconds 2] [--connections 50]
//   node bench/ab.mjs --row v2 --postgres --a /tmp/before --b .   # chillybin on a durable PostgreSQL, a database each
//
// Rows: v1, v2, v2-key (v2 with a new Idempotency-Key each), get (chillybin alone), toastie
// (jafflr through v2 and its own chillybin).
// Prints, per variant: median req/s, its median ratio to the baseline's burst next to it, CPU µs
// per request (all the variant's processes; on PostgreSQL, the server's too), and B against A.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import testkit from '@toasties/testkit';
import { baselineScript, json, keyedV2, killQuiet, load, median, startChillybin, startJafflr, startQuiet, toastie, v2Body } from '../scripts/lib/bench-kit.mjs';

process.on('exit', testkit.removeTempDirs);
const { values } = parseArgs({
  options: {
    row: { type: 'string', default: 'v2' },
    a: { type: 'string' },
    b: { type: 'string', default: '.' },
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    postgres: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const burst = { duration: Number(values.seconds), connections: Number(values.connections) };

/** A running variant: the request to load it with and the pids whose CPU it costs. */
async function variant(root, postgres) {
  const chillybin = await startChillybin(root, postgres ? { DATABASE_URL: await postgres.createDatabase() } : {});
  if (values.row === 'toastie') {
    const jafflr = await startJafflr(root, chillybin.url);
    return { request: toastie(jafflr), pids: [jafflr.pid, chillybin.pid], stop: async () => (await jafflr.stop(), await chillybin.stop()) };
  }
  const requests = {
    v1: { url: `${chillybin.url}/pick?name=cheese&quantity=1`, method: 'POST' },
    v2: { url: `${chillybin.url}/v2/pick`, method: 'POST', headers: json, body: v2Body },
    get: { url: `${chillybin.url}/` },
    'v2-key': keyedV2(chillybin.url),
  };
  if (!requests[values.row]) throw new Error(`--row: v1, v2, v2-key, get or toastie, not ${values.row}`);
  // On PostgreSQL, the server's CPU too (the postmaster and its backends): work moved into SQL still counts.
  return { request: requests[values.row], pids: [chillybin.pid, ...(postgres ? [postgres.process.pid] : [])], stop: chillybin.stop };
}

async function run() {
  if (!values.a) throw new Error('--a <root of the build to compare against> is required');
  const started = loadavg()[0].toFixed(2);
  // One server for both variants (as scripts/lib/bench-postgres.mjs starts it: durable), loaded in turn.
  const postgres = values.postgres ? await testkit.startPostgres({ durable: true }) : undefined;
  const baseline = await startQuiet(baselineScript, {}, { probe: '/' });
  const variants = {
    baseline: { request: { url: `${baseline.url}/pick?name=cheese`, method: 'POST' }, pids: [baseline.pid], stop: baseline.stop },
    A: await variant(resolve(values.a), postgres),
    B: await variant(resolve(values.b), postgres),
  };
  const names = Object.keys(variants);
  const seen = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    // A different order each round: no variant always follows the same one.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) seen[name].push(await load({ ...burst, ...variants[name].request }, variants[name].pids));
  }
  for (const { stop } of Object.values(variants)) await stop();
  await postgres?.stop();
  const cpuUs = (name) => seen[name].reduce((sum, r) => sum + r.cpuUs * r.total, 0) / seen[name].reduce((sum, r) => sum + r.total, 0);
  const ratio = (name) => median(seen[name].map((r, i) => r.rps / seen.baseline[i].rps));
  console.log(`row ${values.row}: ${rounds} rounds of ${burst.duration} s bursts at ${burst.connections} connections; load average ${started} → ${loadavg()[0].toFixed(2)}`);
  for (const name of names) {
    const failed = seen[name].reduce((sum, r) => sum + r.failed, 0);
    console.log(`  ${name.padEnd(8)} ${String(median(seen[name].map((r) => r.rps))).padStart(6)} req/s  ${ratio(name).toFixed(2)}× baseline  ${Math.round(cpuUs(name))} µs CPU/request (${(cpuUs('baseline') / cpuUs(name)).toFixed(2)}× by CPU)  p99 ${median(seen[name].map((r) => r.p99))} ms  ${failed} failed`);
  }
  console.log(`  B against A: CPU per request ${((100 * (cpuUs('B') - cpuUs('A'))) / cpuUs('A')).toFixed(0)}%, req/s ratio ${(ratio('B') / ratio('A')).toFixed(2)}`);
}

run()
  .then(async () => {
    await testkit.stopAllProcesses();
    process.exit(0);
  })
  .catch(async (error) => {
    console.error(`ab: ERROR ${error.stack ?? error}`);
    killQuiet();
    await testkit.stopAllProcesses();
    process.exit(1);
  });
