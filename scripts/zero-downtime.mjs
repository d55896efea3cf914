#!/usr/bin/env node
// Proof that deploys are a non-event: keep-alive load through jafflr (which calls
// chillybin for every toastie) while each service's workers are reloaded several times.
// Prints requests, errors, non-2xx and p99; exits 1 if a single request failed.
//
//   npm run test:zero-downtime                      # 50 connections, ~20 s, 5 reloads each
//   node scripts/zero-downtime.mjs --seconds 6 --reloads 1 --connections 20
//   node scripts/zero-downtime.mjs ... --rate 100   # at most 100 requests a second in all
//
// Without --rate each connection asks again as soon as it is answered, as fast as the machine
// goes. A test sharing the machine with other suites gives a rate: the reloads still meet
// requests on every connection, and the load takes a bounded share of the cores instead of
// all it can get for as long as the reloads last.
//
// Everything runs on 127.0.0.1 and stops by itself.
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import testkit from '@toasties/testkit';

const { startService, stopAllProcesses, freshDatabasePath, removeTempDirs, reloadService, waitFor } = testkit;
process.on('exit', removeTempDirs); // the run's database
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    reloads: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    workers: { type: 'string', default: '2' },
    rate: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const reloads = Number(values.reloads);
const connections = Number(values.connections);
const workers = values.workers;
const rate = values.rate === undefined ? undefined : Number(values.rate);
if (rate !== undefined && !(Number.isInteger(rate) && rate > 0)) {
  console.error(`zero-downtime: --rate must be a whole number of requests a second above 0, not ${values.rate}`);
  process.exit(2);
}

const main = (name) => new URL(`../services/${name}/dist/main.js`, import.meta.url).pathname;
const common = { WORKERS: workers, LOG_LEVEL: 'info' }; // the primary's reload lines are info

const reload = (service, name) => reloadService(service, 30_000).catch((error) => Promise.reject(new Error(`${name}: ${error.message}`)));

async function run() {
  const chillybin = await startService(main('chillybin'), { ...common, DATABASE_PATH: freshDatabasePath('zero-downtime') });
  const jafflr = await startService(main('jafflr'), { ...common, CHILLYBIN_URL: chillybin.url, COOK_TIME_SCALE: '0' });
  // Enough stock that no toastie is refused for want of bread.
  await fetch(`${chillybin.url}/restock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cheese: 1_000_000, bread: 1_000_000 }) });
  await waitFor(async () => (await fetch(`${jafflr.url}/health/ready`)).status === 200, { what: 'jafflr ready' });

  console.log(`load: ${connections} keep-alive connections${rate === undefined ? '' : ` at ${rate} requests/s in all`} for at least ${seconds} s on POST ${jafflr.url}/toastie?i=cheese; ${reloads} reloads of each service (${workers} workers each)`);
  // The load runs at least `seconds`, and on until a second after the last reload
  // (a reload under contention can take longer than planned): no reload escapes the load.
  const load = autocannon({ url: `${jafflr.url}/toastie?i=cheese`, method: 'POST', connections, ...(rate === undefined ? {} : { overallRate: rate }), duration: seconds + 120 });
  const started = Date.now();
  const gap = (seconds * 1000) / (2 * reloads + 1);
  let done = 0;
  for (let i = 0; i < reloads; i++) {
    for (const [service, name] of [[chillybin, 'chillybin'], [jafflr, 'jafflr']]) {
      const at = started + gap * (2 * i + (name === 'chillybin' ? 1 : 2));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
      await reload(service, name);
      done += 1;
      console.log(`  ${((Date.now() - started) / 1000).toFixed(1)} s: ${name} reloaded`);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(1000, started + seconds * 1000 - Date.now())));
  load.stop();
  const result = await load;
  const failed = result.errors + result.timeouts + result.non2xx;
  const row = {
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    'p99 ms': result.latency.p99,
    'req/s': Math.round(result.requests.average),
    reloads: done,
  };
  console.table([row]);
  const statuses = Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => `${code}×${count}`);
  console.log(`statuses: ${statuses.join(' ')}`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  console.log(failed === 0 && done === 2 * reloads ? 'zero-downtime: PASS (no request failed)' : `zero-downtime: FAIL (${failed} failed requests)`);
  await Promise.all([jafflr.stop('SIGTERM'), chillybin.stop('SIGTERM')]);
  return failed === 0 && done === 2 * reloads;
}

run()
  .then((ok) => process.exit(ok ? 0 : 1))
  .catch(async (error) => {
    console.error(`zero-downtime: ERROR ${error.message}`);
    await stopAllProcesses();
    process.exit(1);
  });
