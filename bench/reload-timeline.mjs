#!/usr/bin/env node
// Where a reload's cost goes, half a second at a time: toasties at 50 connections through
// jafflr to a WORKERS=2 chillybin reloaded every 4 s (as bench.mjs's "under reloads" row),
// and in each half second the toasties answered, how much of the two cores sat idle, the CPU
// of chillybin's primary, its workers, jafflr and this process (the load), and the sockets
// each chillybin worker holds. Idle cores while throughput falls are a stall; busy ones, work.
//
//   node bench/reload-timeline.mjs [--root .] [--seconds 16] [--chillybin-node-args='--cpu-prof --cpu-prof-dir=prof']
import { readdirSync, readlinkSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import testkit from '@toasties/testkit';
import { childrenOf, cpuTicks, killQuiet, startChillybin, startJafflr, toastie } from '../scripts/lib/bench-kit.mjs';

process.on('exit', testkit.removeTempDirs);
const { values } = parseArgs({
  options: {
    root: { type: 'string', default: new URL('..', import.meta.url).pathname },
    seconds: { type: 'string', default: '16' },
    'chillybin-node-args': { type: 'string', default: '' },
  },
});
const TICK_MS = 500;
const RELOAD_EVERY_MS = 4000;

/** undefined once the process has exited. */
const ticksOf = (pid) => {
  try {
    return cpuTicks(pid);
  } catch {
    return undefined;
  }
};
/** Its connections, plus its channel to the primary and the like (one or two). */
const socketsOf = (pid) => {
  try {
    return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
      } catch {
        return false; // closed since the listing
      }
    }).length;
  } catch {
    return 0;
  }
};
const machine = () => {
  const [, ...numbers] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return { idle: numbers[3] + numbers[4], total: numbers.reduce((a, b) => a + b, 0) };
};

try {
  const chillybin = await startChillybin(resolve(values.root), { WORKERS: '2' }, { nodeArgs: values['chillybin-node-args'].split(' ').filter(Boolean) });
  const jafflr = await startJafflr(resolve(values.root), chillybin.url);
  const lastTicks = new Map(); // worker pid → its last reading, so that a retired worker's CPU still counts
  const sample = () => {
    for (const pid of new Set([...lastTicks.keys(), ...childrenOf(chillybin.pid)])) lastTicks.set(pid, ticksOf(pid) ?? lastTicks.get(pid) ?? 0);
    return {
      primary: cpuTicks(chillybin.pid),
      workers: [...lastTicks.values()].reduce((sum, ticks) => sum + ticks, 0),
      jafflr: [jafflr.pid, ...childrenOf(jafflr.pid)].reduce((sum, pid) => sum + (ticksOf(pid) ?? 0), 0),
      load: cpuTicks(process.pid),
      machine: machine(),
      sockets: childrenOf(chillybin.pid).map(socketsOf).join(' / '),
    };
  };
  await autocannon({ ...toastie(jafflr), connections: 50, duration: 3 }); // V8 compiles the path first, as in bench.mjs's rows

  let answered = 0;
  const load = autocannon({ ...toastie(jafflr), connections: 50, duration: Number(values.seconds) }, () => undefined);
  load.on('response', () => (answered += 1));
  const done = new Promise((settle) => load.once('done', settle));
  const started = performance.now();
  const at = () => ((performance.now() - started) / 1000).toFixed(1);
  const rows = [];
  let last = { ...sample(), answered: 0 };
  const sampling = setInterval(() => {
    const now = { ...sample(), answered };
    const idle = (now.machine.idle - last.machine.idle) / (now.machine.total - last.machine.total);
    rows.push({ t: at(), toasties: now.answered - last.answered, 'idle cores': (2 * idle).toFixed(2), primary: now.primary - last.primary, workers: now.workers - last.workers, jafflr: now.jafflr - last.jafflr, load: now.load - last.load, 'worker sockets': now.sockets });
    last = now;
  }, TICK_MS);
  // SIGHUP is a reload (docs/deploying.md); one begun before the last has ended waits its turn.
  const reloading = setInterval(() => {
    process.kill(chillybin.pid, 'SIGHUP');
    rows.push({ t: at(), toasties: 'SIGHUP' });
  }, RELOAD_EVERY_MS);
  const result = await done;
  clearInterval(sampling);
  clearInterval(reloading);
  const sum = (key) => rows.reduce((total, row) => total + (typeof row[key] === 'number' ? row[key] : 0), 0);
  const perToastie = (key) => Math.round((sum(key) * 10_000) / Math.max(1, sum('toasties'))); // a tick is 10,000 µs
  console.log(
    `${result.requests.total} toasties (${Math.round(result.requests.average)}/s), ${result.errors + result.timeouts + result.non2xx} failed, p99 ${result.latency.p99} ms; ` +
      `CPU per toastie: chillybin's workers ${perToastie('workers')} µs, its primary ${perToastie('primary')} µs, jafflr ${perToastie('jafflr')} µs. In ticks of 10 ms per ${TICK_MS} ms:`,
  );
  console.table(rows);
  await jafflr.stop();
  await chillybin.stop();
} finally {
  killQuiet();
}
