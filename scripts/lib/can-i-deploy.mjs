#!/usr/bin/env node
// @ts-check
// Consumer-driven contracts without a broker (as Pact's verifier does with a pact file): replay a
// consumer's recorded expectations of a provider against a running provider, and say which
// interaction broke. The consumer keeps its expectations with its release
// (services/<consumer>/contract/<provider>.json); deploy-one.sh runs them against a candidate
// provider on a spare port with a copy of its data, or a new consumer's against the deployed
// provider, before anything is switched.
//
//   node scripts/lib/can-i-deploy.mjs <expectations.json> <provider-url> [NAME=value ...]
//   node scripts/lib/can-i-deploy.mjs --needs <expectations.json>
// exit: 0 every interaction answered as expected, 1 one did not (named), 2 bad usage or file
//
// An interaction may hold only while the consumer can still make it: `"unless": {"NAME":
// "value"}` skips it when every NAME=value given (the consumer's environment, as deployed)
// says so, e.g. a v1 call is skipped once the consumer's FLAG_PICK_V2 is "on". A NAME not
// given counts as empty, so the interaction is checked. Values compare as flags are read
// (ON is on). --needs prints the NAMEs the conditions read, one a line, for the deploy to
// pass their values.
//
// An expected body lists only what the consumer reads (the rules: contract-match.cjs, which the
// consumer's own contract test applies to what its client sends). `"setup": true` marks a
// request the consumer never makes, sent only to give the provider the state the interactions
// after it need (a restock): replayed here like the others, skipped by the consumer's test.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { differences, withRun } from './contract-match.cjs';

const needs = process.argv[2] === '--needs';
const [file, base, ...given] = process.argv.slice(needs ? 3 : 2);
if (!file || (!needs && !base) || (needs && base) || !given.every((pair) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(pair))) {
  process.stderr.write('usage: can-i-deploy.mjs <expectations.json> <provider-url> [NAME=value ...] | --needs <expectations.json>\n');
  process.exit(2);
}
/** The consumer's environment values given. */
const consumerEnv = new Map(given.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));

/** @typedef {{ description: string, setup?: boolean, unless?: Record<string, string>, request: { method: string, path: string, headers?: Record<string, string>, json?: unknown }, response: { status: number, json?: unknown } }} Interaction */
/** @type {{ consumer: string, provider: string, interactions: Interaction[] }} */
let pact;
try {
  pact = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(pact.interactions) || pact.interactions.length === 0) throw new Error('no interactions');
  for (const [index, { unless, setup }] of pact.interactions.entries()) {
    if (setup !== undefined && typeof setup !== 'boolean') throw new Error(`interaction ${index + 1}: "setup" must be true or false`);
    if (unless !== undefined && (unless === null || typeof unless !== 'object' || Array.isArray(unless) || !Object.values(unless).every((value) => typeof value === 'string'))) {
      throw new Error(`interaction ${index + 1}: "unless" must map environment names to strings`);
    }
  }
} catch (error) {
  process.stderr.write(`can-i-deploy: ${file}: ${/** @type {Error} */ (error).message}\n`);
  process.exit(2);
}

if (needs) {
  const names = new Set(pact.interactions.flatMap(({ unless }) => Object.keys(unless ?? {})));
  process.stdout.write([...names].map((name) => `${name}\n`).join(''));
  process.exit(0);
}

// One run's requests are its own: the data is a copy of the real one.
const run = randomUUID();
/** @param {string} text */
const fill = (text) => withRun(text, run);

/** As the services read a flag: without regard to case or surrounding blanks (ON is on). */
const same = (/** @type {string | undefined} */ given, /** @type {string} */ wanted) => (given ?? '').trim().toLowerCase() === wanted.trim().toLowerCase();

let skipped = 0;
for (const [index, { description, unless, request, response }] of pact.interactions.entries()) {
  if (unless !== undefined && Object.entries(unless).every(([name, value]) => same(consumerEnv.get(name), value))) {
    process.stdout.write(`interaction ${index + 1} (${description}): skipped, as ${Object.entries(unless).map(([name, value]) => `${name}=${value}`).join(' ')} for ${pact.consumer}\n`);
    skipped += 1;
    continue;
  }
  const said = `${pact.consumer} expects ${request.method} ${request.path} (${description}) to answer ${response.status}`;
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([key, value]) => [key, fill(value)]));
  if (request.json !== undefined) headers['content-type'] = 'application/json';
  let status;
  let body;
  try {
    const answer = await fetch(new URL(request.path, base), { method: request.method, headers, body: request.json === undefined ? undefined : fill(JSON.stringify(request.json)), signal: AbortSignal.timeout(10_000) });
    status = answer.status;
    const text = await answer.text();
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  } catch (error) {
    process.stderr.write(`interaction ${index + 1}: ${said}; ${pact.provider} did not answer (${/** @type {Error} */ (error).message})\n`);
    process.exit(1);
  }
  const problems = status === response.status ? (response.json === undefined ? [] : differences(response.json, body, 'body')) : [`status: expected ${response.status}, got ${status} ${JSON.stringify(body)}`];
  if (problems.length > 0) {
    process.stderr.write(`interaction ${index + 1}: ${said}; ${pact.provider} answered otherwise:\n${problems.map((line) => `  ${line}\n`).join('')}`);
    process.exit(1);
  }
}
process.stdout.write(`${pact.interactions.length - skipped} interactions of ${pact.consumer} with ${pact.provider}: as expected\n`);
