#!/usr/bin/env node
// What the garbage collector does in each service under toasties at 50 connections: both
// services as lone processes (WORKERS=0) with a GC observer preloaded (gc-observer.cjs), which
// counts V8's collections by kind and times them while the measured load runs. --node-args
// gives both services V8 flags, e.g. the young generation a cluster worker runs with
// (--max-semi-space-size=8, packages/graceful/src/worker-node-args.ts) against V8's default.
//
//   node bench/gc-pauses.mjs [--root .] [--seconds 10] [--node-args=--max-semi-space-size=8]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import testkit from '@toasties/testkit';
import { cpuSeconds, killQuiet, startChillybin, startJafflr, toastie } from '../scripts/lib/bench-kit.mjs';

process.on('exit', testkit.removeTempDirs);
const { values } = parseArgs({
  options: {
    root: { type: 'string', default: new URL('..', import.meta.url).pathname },
    seconds: { type: 'string', default: '10' },
    'node-args': { type: 'string', default: '' },
  },
});
const root = resolve(values.root);
const dir = testkit.tempDir('gc-pauses');
const observer = new URL('gc-observer.cjs', import.meta.url).pathname;
const nodeArgs = ['--require', observer, ...values['node-args'].split(' ').filter(Boolean)];
const observed = (service) => ({ WORKERS: '0', GC_OBSERVER_OUT: join(dir, `${service}.json`) });

const chillybin = await startChillybin(root, observed('chillybin'), { nodeArgs });
try {
  const jafflr = await startJafflr(root, chillybin.url, observed('jafflr'), { nodeArgs });
  const services = [['chillybin', chillybin], ['jafflr', jafflr]];
  await autocannon({ ...toastie(jafflr), connections: 50, duration: 3 }); // warmed up, unmeasured
  const cpuBefore = services.map(([, service]) => cpuSeconds(service.pid));
  for (const [, service] of services) process.kill(service.pid, 'SIGUSR2'); // the observer starts counting
  const result = await autocannon({ ...toastie(jafflr), connections: 50, duration: Number(values.seconds) });
  for (const [, service] of services) process.kill(service.pid, 'SIGUSR2'); // ... and writes what it counted
  const cpuUs = services.map(([, service], i) => ((cpuSeconds(service.pid) - cpuBefore[i]) * 1e6) / result.requests.total);
  await testkit.waitFor(async () => services.every(([name]) => readable(join(dir, `${name}.json`))), { what: 'both observers to write' });
  console.log(`node args: ${values['node-args'] || '(none)'}; ${Math.round(result.requests.average)} toasties/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.non2xx + result.errors} failed`);
  services.forEach(([name], i) => {
    const seen = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
    const kinds = Object.entries(seen.gc).map(([kind, { count, totalMs, p50Ms, maxMs }]) => `${kind} ${count} (${totalMs} ms in all, p50 ${p50Ms} ms, max ${maxMs} ms)`);
    console.log(`  ${name}: ${Math.round(cpuUs[i])} µs of CPU per toastie; event loop late by ${seen.eventLoopP99Ms} ms at p99; RSS ${seen.rssMb} MB; ${kinds.join(', ')}`);
  });
  await jafflr.stop();
} finally {
  await chillybin.stop();
  killQuiet();
}

function readable(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) !== undefined;
  } catch {
    return false;
  }
}
