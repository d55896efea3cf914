#!/usr/bin/env node
// @ts-check
// The one reader of GET /health for the shell scripts (smoke.sh, lib/release.sh). Plain
// node, no dependency, so it runs where only a checkout is (CD's smoke test); its types
// are the contract's (@toasties/contract, health.ts), checked by delivery-tests' typecheck.
//
//   read-health.mjs versions <body>           the release of each worker serving, one a line
//                                             (a lone process: its version); exit 1 while a
//                                             reload is under way: a half-done reload is not done
//   read-health.mjs check <body> [version]    "<service> <version> is healthy", or exit 1 with
//                                             why not (not ok, another version, not /health JSON)
// exit: 0 as above, 1 not (the reason on stderr), 2 bad usage

/** @typedef {import('@toasties/contract').Liveness} Liveness */

/**
 * @param {string} body
 * @returns {Liveness}
 */
function parse(body) {
  /** @type {unknown} */
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error(`not JSON: ${body.slice(0, 200)}`);
  }
  const health = /** @type {Partial<Liveness> | null} */ (parsed);
  if (typeof health !== 'object' || health === null || typeof health.version !== 'string' || typeof health.service !== 'string') {
    throw new Error(`not a /health answer: ${body.slice(0, 200)}`);
  }
  return /** @type {Liveness} */ (health);
}

/**
 * @param {Liveness} health
 * @returns {string[]}
 */
function versions(health) {
  if (health.reloading) throw new Error(`${health.service} is reloading`);
  return (health.workers ?? [{ pid: 0, version: health.version }]).map((worker) => worker.version);
}

/**
 * @param {Liveness} health
 * @param {string | undefined} expected
 */
function check(health, expected) {
  if (health.status !== 'ok') throw new Error(`status is ${health.status}`);
  if (expected && health.version !== expected) throw new Error(`version is ${health.version}, expected ${expected}`);
  return `${health.service} ${health.version} is healthy`;
}

const [command, body, expected] = process.argv.slice(2);
if (body === undefined || !['versions', 'check'].includes(command ?? '')) {
  process.stderr.write('usage: read-health.mjs versions <body> | check <body> [version]\n');
  process.exit(2);
}
try {
  const health = parse(body);
  const lines = command === 'versions' ? versions(health) : [check(health, expected)];
  process.stdout.write(lines.map((line) => `${line}\n`).join(''));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
