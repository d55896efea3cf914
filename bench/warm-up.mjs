#!/usr/bin/env node
// How fast a new chillybin process reaches its steady throughput: a fresh process (WORKERS=0)
// under keyed v2 at 50 connections from the moment it is ready, requests served in each second.
// A reload starts such processes; what they lose while V8 compiles the request path is what a
// reload costs beyond the start itself. Extra node flags for the service (e.g. V8's tiering)
// are compared by giving them, in turn, in --node-args.
//
//   node bench/warm-up.mjs [--root .] [--seconds 8] [--runs 3] [--node-args=--maglev]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import testkit from '@toasties/testkit';
import { cpuSeconds, keyedV2, killQuiet, startChillybin } from '../scripts/lib/bench-kit.mjs';

process.on('exit', testkit.removeTempDirs);
const { values } = parseArgs({
  options: {
    root: { type: 'string', default: new URL('..', import.meta.url).pathname },
    seconds: { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    'node-args': { type: 'string', default: '' },
  },
});
const nodeArgs = values['node-args'].split(' ').filter(Boolean);

try {
  for (let run = 1; run <= Number(values.runs); run++) {
    const chillybin = await startChillybin(resolve(values.root), { WORKERS: '0' }, { nodeArgs });
    const cpuBefore = cpuSeconds(chillybin.pid);
    const perSecond = [];
    const load = autocannon({ ...keyedV2(chillybin.url), connections: 50, duration: Number(values.seconds) });
    load.on('tick', ({ counter }) => perSecond.length < Number(values.seconds) && perSecond.push(counter)); // not the closing partial tick
    const result = await load;
    const cpuUs = ((cpuSeconds(chillybin.pid) - cpuBefore) * 1e6) / result.requests.total;
    await chillybin.stop();
    const steady = Math.max(...perSecond.slice(-3));
    const shares = perSecond.map((count) => `${Math.round((100 * count) / steady)}%`).join(' ');
    console.log(`run ${run}: ready after ${Math.round(chillybin.readyCpuMs)} ms of CPU; each second ${perSecond.join(' ')} orders (${shares} of the best of the last three); ${Math.round(cpuUs)} µs of CPU per order, ${result.non2xx + result.errors} failed`);
  }
} finally {
  killQuiet();
}
