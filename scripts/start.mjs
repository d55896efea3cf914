#!/usr/bin/env node
// npm start: build quietly, run every service (chillybin, jafflr) with readable logs, say when
// each is ready (with a first curl to try), and on Ctrl-C stop them in reverse order (jafflr,
// then chillybin) and say that they stopped cleanly. Which services, their ports and their
// order come from their deploy blocks (lib/service-descriptions.mjs), as for npm run deploy.
//
//   npm start                                   chillybin on :7001, jafflr on :7000
//   JAFFLR_PORT=8000 CHILLYBIN_PORT=8001 npm start
//
// Every other variable (FLAG_PICK_V2, COOK_TIME_SCALE, WORKERS, …) reaches every service.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { styleText } from 'node:util';
import { allServices, describe as deployment, portOf } from './lib/service-descriptions.mjs';

const root = new URL('..', import.meta.url).pathname;
const env = process.env;
const colour = process.stdout.isTTY && !env.NO_COLOR;
const paint = (style, text) => (colour ? styleText(style, text) : text);
const say = (text) => console.log(paint('bold', `npm start: ${text}`));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const names = allServices(); // in start order: each after the services it calls
const ports = Object.fromEntries(names.map((name) => [name, portOf(deployment(name))]));
const portVariables = names.map((name) => `${deployment(name).port.variable} (${deployment(name).port.default})`).join(', ');

// PORT would give every service the same port: only one of them could listen.
if (env.PORT !== undefined) {
  console.error(`npm start: PORT is for one service; set ${portVariables} instead`);
  process.exit(1);
}
const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
/** The URL a service reaches another on, as its deploy block's {url:<service>} asks (CHILLYBIN_URL). */
const urlEnv = (name) =>
  Object.fromEntries(
    Object.entries(deployment(name).env ?? {}).flatMap(([key, value]) => {
      const called = /^\{url:([a-z0-9._-]+)\}$/.exec(value)?.[1];
      return called ? [[key, env[key] ?? `http://${host}:${ports[called]}`]] : [];
    }),
  );
// The first thing to try on each; a service with nothing more telling answers its /health.
const firstCurl = (name) =>
  ({
    chillybin: `curl -s http://localhost:${ports.chillybin}/`,
    jafflr: `curl -s -X POST 'http://localhost:${ports.jafflr}/toastie?i=cheese&doneness=light'`,
  })[name] ?? `curl -s http://localhost:${ports[name]}/health`;
const stopOrder = [...names].reverse(); // callers first: nothing serves with its dependency gone
const stopping_ = `stopping ${stopOrder.join(', then ')}…`;

/** A service's longest drain (SHUTDOWN_TIMEOUT_MS) and a margin: after that it is killed. */
const stopBudgetMs = Number(env.SHUTDOWN_TIMEOUT_MS ?? 10_000) + 5000;

const services = new Map(); // name → { child, exit: Promise<{code, signal}>, exited }
let stopping = false;
let building; // the turbo build, while it runs

/** SIGKILL a service's process group (its primary and workers); it may be gone already. */
function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone
  }
}

/** turbo's output (about 80 lines even when every task is cached) is shown only if the build fails. */
function build() {
  const started = Date.now();
  process.stdout.write(`npm start: building ${names.join(' and ')}… `);
  const turbo = spawn(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--filter=./services/*', '--output-logs=errors-only'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  building = turbo;
  const output = [];
  turbo.stdout.on('data', (chunk) => output.push(chunk));
  turbo.stderr.on('data', (chunk) => output.push(chunk));
  return new Promise((resolve, reject) => {
    turbo.on('error', reject);
    turbo.on('exit', (code, signal) => {
      building = undefined;
      if (stopping) return; // Ctrl-C during the build: stop() says so
      if (code === 0) {
        console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return resolve();
      }
      console.log('failed:\n');
      process.stdout.write(Buffer.concat(output));
      reject(new Error(signal ? `the build was stopped (${signal})` : 'the build failed (its output is above); nothing was started'));
    });
  });
}

/**
 * Each service in a process group of its own (detached): Ctrl-C reaches only this script,
 * which stops the services once each, in order. Had the terminal signalled them too, a
 * second signal (from here) would force them out without draining.
 */
function start(name, extraEnv = {}) {
  const child = spawn(process.execPath, ['--require', join(root, 'scripts', 'stop-when-orphaned.cjs'), 'dist/main.js'], {
    cwd: join(root, 'services', name), // a relative path (DATABASE_PATH=data/chillybin.db) is the service's own
    env: { ...env, LOG_FORMAT: env.LOG_FORMAT || 'pretty', PORT: ports[name], ...extraEnv },
    stdio: ['pipe', 'inherit', 'inherit'], // stdin: closes if this script dies (stop-when-orphaned.cjs)
    detached: true,
  });
  const service = { child, exited: false };
  service.exit = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      service.exited = true;
      resolve({ code, signal });
    }),
  );
  services.set(name, service);
  void service.exit.then((exit) => {
    if (!stopping) void stop(1, `${name} ${describe(exit)} on its own (its log is above); stopping the other`);
  });
}

const describe = ({ code, signal }) => (signal ? `was killed (${signal})` : `exited with ${code}`);

async function readyBanner(name) {
  const url = `http://${host}:${ports[name]}/health/ready`;
  while (!stopping && !services.get(name).exited) {
    const ready = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((res) => res.ok, () => false);
    if (ready) {
      console.log(paint('green', `── ${name} is ready on http://localhost:${ports[name]}`));
      console.log(`   try: ${paint('cyan', firstCurl(name))}`);
      return;
    }
    await sleep(200);
  }
}

/** In stopOrder: a caller (jafflr) before what it calls (chillybin). */
async function stop(code, why) {
  if (stopping) return; // a second Ctrl-C (or npm passing the first one on): already on it
  stopping = true;
  console.log(`\nnpm start: ${why}`);
  building?.kill('SIGTERM');
  const results = [];
  for (const name of stopOrder) {
    const service = services.get(name);
    if (!service) continue;
    if (!service.exited) service.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      console.log(`npm start: ${name} did not stop within ${stopBudgetMs} ms; killing it`);
      killGroup(service.child.pid); // its workers too: they share its process group
    }, stopBudgetMs);
    const exit = await service.exit;
    clearTimeout(timer);
    results.push([name, exit]);
  }
  const clean = results.length > 0 && results.every(([, exit]) => exit.code === 0);
  if (code === 0 && clean) say(`${results.map(([name]) => name).join(' and ')} stopped cleanly (exit 0)`);
  else say(results.map(([name, exit]) => `${name} ${describe(exit)}`).join(', ') || 'nothing was running');
  process.exit(code === 0 && clean ? 0 : code || 1);
}

process.on('SIGINT', () => void stop(0, `Ctrl-C: ${stopping_}`));
process.on('SIGTERM', () => void stop(0, `SIGTERM: ${stopping_}`));
process.on('SIGHUP', () => void stop(0, `the terminal closed: ${stopping_}`));
// However this script ends, no service outlives it.
process.on('exit', () => {
  for (const service of services.values()) if (!service.exited) killGroup(service.child.pid);
});

try {
  await build();
} catch (error) {
  console.error(`npm start: ${error.message}`);
  process.exit(1);
}
if (!stopping) {
  for (const name of names) start(name, urlEnv(name));
  for (const name of names) await readyBanner(name);
  if (!stopping) console.log(paint('dim', `   Ctrl-C stops ${names.length === 2 ? 'both' : 'them all'}`));
}
