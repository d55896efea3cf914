#!/usr/bin/env node
// Instructions per request, counted by callgrind: for a change too small for req/s or CPU time
// to show on a shared machine (both move with the neighbours; a count of instructions does
// not). One chillybin (WORKERS=0) or the baseline under valgrind, warmed up until the JIT has
// settled, then N requests counted. V8 runs single-threaded, without its memory reducer and with
// a fixed heap-growing schedule (not one that follows the allocation rate per second), so
// no compiler or GC work depends on the wall clock: two runs of one build agree within ~1 %.
// User-space instructions only: the kernel's share (the socket writes, SQLite's file writes
// and fsyncs) is not in it. Needs valgrind; ~1 minute a row.
//
//   node bench/instructions.mjs --row v2 [--root .] [--requests 2000] [--warmup 6000] [--connections 10] [--keep out.callgrind]
// --connections 1 sends one request at a time: then what a request costs does not depend on
// how many arrive in one turn of the event loop, which a busy machine changes from run to run.
// Rows: v1, v2, v2key (with an Idempotency-Key), get (chillybin), toastie (jafflr counted, its
// chillybin outside valgrind), baseline.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import testkit from '@toasties/testkit';
import { baselineScript, BIG_STOCK, json, killQuiet, startChillybin, v2Body } from '../scripts/lib/bench-kit.mjs';

process.on('exit', testkit.removeTempDirs);
const { values } = parseArgs({
  options: {
    row: { type: 'string', default: 'v2' },
    root: { type: 'string', default: '.' },
    requests: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '6000' },
    connections: { type: 'string', default: '10' },
    keep: { type: 'string' }, // a path: the callgrind output is kept there, for callgrind_annotate
  },
});
const baseline = values.row === 'baseline';
const toastie = values.row === 'toastie';
const root = resolve(values.root);
const script = baseline ? baselineScript : join(root, `services/${toastie ? 'jafflr' : 'chillybin'}/dist/main.js`);
const chillybin = toastie ? await startChillybin(root) : undefined;
const dir = mkdtempSync(join(tmpdir(), 'instructions-'));
const port = await testkit.freePort();
const url = `http://127.0.0.1:${port}`;
const requests = {
  v1: { url: `${url}/pick?name=cheese&quantity=1`, method: 'POST' },
  v2: { url: `${url}/v2/pick`, method: 'POST', headers: json, body: v2Body },
  // As jafflr sends it: a new key each time (autocannon's [<id>]).
  v2key: { url: `${url}/v2/pick`, method: 'POST', headers: { ...json, 'idempotency-key': '"[<id>]"' }, body: v2Body, idReplacement: true },
  get: { url: `${url}/` },
  toastie: { url: `${url}/toastie?i=cheese&customer=bench`, method: 'POST' },
  baseline: { url: `${url}/pick?name=cheese`, method: 'POST' },
};
if (!requests[values.row]) throw new Error(`--row: v1, v2, v2key, get, toastie or baseline, not ${values.row}`);

const out = join(dir, 'callgrind.out');
const child = spawn(
  'valgrind',
  ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${out}`, process.execPath, '--single-threaded', '--no-memory-reducer', '--predictable-gc-schedule', script],
  {
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      WORKERS: '0',
      PORT: String(port),
      DATABASE_PATH: join(dir, 'chillybin.db'),
      ...(chillybin && { CHILLYBIN_URL: chillybin.url, COOK_TIME_SCALE: '0', FLAG_PICK_V2: 'on' }),
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  },
);
const exited = new Promise((done) => child.once('exit', done));
try {
  await testkit.waitFor(async () => (await fetch(`${url}${baseline ? '/' : '/health'}`)).status < 500, { timeoutMs: 180_000, intervalMs: 500, what: 'the service under valgrind' });
  if (!baseline && !toastie) await fetch(`${url}/restock`, { method: 'POST', headers: json, body: JSON.stringify(BIG_STOCK) });
  const load = (amount) => autocannon({ ...requests[values.row], connections: Number(values.connections), amount });
  await load(Number(values.warmup));
  execFileSync('callgrind_control', ['-i', 'on', String(child.pid)], { stdio: 'ignore' });
  const result = await load(Number(values.requests));
  execFileSync('callgrind_control', ['-i', 'off', String(child.pid)], { stdio: 'ignore' });
  child.kill('SIGINT');
  await exited;
  if (values.keep) copyFileSync(out, values.keep);
  const total = Number(/^totals: (\d+)/m.exec(readFileSync(out, 'utf8'))[1]);
  const counted = result.requests.total;
  console.log(`${values.row} ${values.root}: ${Math.round(total / counted)} instructions/request (${counted} requests, ${result.non2xx + result.errors} failed)`);
} finally {
  child.kill('SIGKILL');
  killQuiet(); // the toastie row's chillybin
  rmSync(dir, { recursive: true, force: true });
}
