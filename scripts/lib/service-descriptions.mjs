// @ts-check
// The services as each describes itself, once: the "deploy" block of services/<name>/package.json
// (its shape: deployment.d.ts, beside this file; how to write one: docs/adding-a-service.md).
// The delivery scripts (through services.mjs, its command line) and npm start (scripts/start.mjs)
// ask this, and keep no list, port or order of their own. Plain node, no dependency.
//
// describe(service) → its deploy block, checked; order(services); environment(service, dir);
// directories(service, dir); callers(service); plan(service); allServices(). An invalid block throws Invalid,
// one line naming the field.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @typedef {import('./deployment.js').ServiceDeployment} ServiceDeployment */

const servicesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'services');
const NAME = /^[a-z0-9][a-z0-9._-]*$/; // as scripts/lib/workspaces.sh's is_service
const VARIABLE = /^[A-Z][A-Z0-9_]*$/;
const PLACEHOLDER = /\{([a-z]+)(?::([^}]*))?\}/g;

export class Invalid extends Error {}

/** @param {unknown} value */
const isStrings = (value) => Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && item !== '');

/**
 * A service's deploy block, checked: every problem is one line naming the field.
 * @param {string} service
 * @returns {ServiceDeployment}
 */
export function describe(service) {
  const file = `services/${service}/package.json`;
  /** @type {{ deploy?: Record<string, any> }} */
  let manifest;
  try {
    if (!NAME.test(service)) throw new Error();
    manifest = JSON.parse(readFileSync(join(servicesDir, service, 'package.json'), 'utf8'));
  } catch {
    throw new Invalid(`unknown service '${service}' (no ${file})`);
  }
  const deploy = manifest.deploy;
  const problem = (/** @type {string} */ what) => new Invalid(`${file}: ${what} (see docs/adding-a-service.md)`);
  if (typeof deploy !== 'object' || deploy === null) throw problem('no "deploy" block');
  const { port, calls, env = {}, backup, migrate } = deploy;
  if (!VARIABLE.test(port?.variable ?? '')) throw problem('deploy.port.variable must be an environment variable name, e.g. TOASTER_PORT');
  if (!Number.isInteger(port.default) || port.default < 1 || port.default > 65535) throw problem('deploy.port.default must be a port, 1 to 65535');
  if (!Array.isArray(calls) || !calls.every((name) => typeof name === 'string' && NAME.test(name) && name !== service)) throw problem('deploy.calls must list the other services it calls ([] for none)');
  if (typeof env !== 'object' || env === null || !Object.entries(env).every(([key, value]) => VARIABLE.test(key) && typeof value === 'string')) throw problem('deploy.env must map variable names to strings');
  for (const value of Object.values(env)) {
    for (const [, kind, argument] of value.matchAll(PLACEHOLDER)) {
      if (!(kind === 'dir' && argument === undefined) && !(kind === 'url' && calls.includes(argument))) {
        throw problem(`deploy.env: ${JSON.stringify(value)}: a placeholder is {dir} or {url:<a service in deploy.calls>}`);
      }
    }
  }
  if (migrate !== undefined && !isStrings(migrate)) throw problem('deploy.migrate must be a command, as a list of arguments');
  if (backup !== undefined && (!VARIABLE.test(backup?.file ?? '') || !isStrings(backup.command))) throw problem('deploy.backup must be { "file": <variable>, "command": [arguments] }');
  return { port, calls, env, backup, migrate };
}

/** @param {ServiceDeployment} deployment */
export const portOf = ({ port }) => process.env[port.variable] || String(port.default);

/**
 * The services in deploy order: each after the ones it calls among them, otherwise in the order given.
 * @param {string[]} services
 */
export function order(services) {
  const calls = new Map(services.map((service) => [service, describe(service).calls.filter((called) => services.includes(called))]));
  /** @type {string[]} */
  const ordered = [];
  while (ordered.length < services.length) {
    const next = services.find((service) => !ordered.includes(service) && calls.get(service)?.every((called) => ordered.includes(called)));
    if (next === undefined) throw new Invalid(`the services call each other in a circle: ${services.filter((service) => !ordered.includes(service)).join(', ')}`);
    ordered.push(next);
  }
  return ordered;
}

/**
 * @param {string} service
 * @param {string} dir
 */
export function environment(service, dir) {
  const deployment = describe(service);
  const resolve = (/** @type {string} */ value) => value.replace(PLACEHOLDER, (_, kind, argument) => (kind === 'dir' ? dir : `http://127.0.0.1:${portOf(describe(argument))}`));
  return [['PORT', portOf(deployment)], ...Object.entries(deployment.env ?? {}).map(([key, value]) => [key, resolve(value)])];
}

/**
 * The directories the first environment names under <dir> (a file's, or the directory
 * itself), and backups/ when the service backs something up.
 * @param {string} service
 * @param {string} dir
 */
export function directories(service, dir) {
  const named = environment(service, dir)
    .map(([, value]) => value ?? '')
    .filter((value) => value.startsWith(`${dir}/`))
    .map((value) => dirname(value));
  return [...new Set([...named, ...(describe(service).backup ? [join(dir, 'backups')] : [])])];
}

/**
 * The services that call this one (their deploy.calls name it), in deploy order.
 * @param {string} service
 */
export function callers(service) {
  describe(service);
  return allServices().filter((other) => describe(other).calls.includes(service));
}

/** @param {string} service */
export function plan(service) {
  const { port, calls, backup, migrate } = describe(service);
  const parts = [`port ${portOf(describe(service))} (${port.variable}, default ${port.default})`];
  if (calls.length > 0) parts.push(`after ${calls.join(', ')}`);
  if (migrate) parts.push(`migrates: ${migrate.join(' ')}${backup ? `, after a backup of ${backup.file}` : ''}`);
  return parts.join('; ');
}

/** Every service in the repository (each folder of services/), in deploy order. */
export function allServices() {
  return order(readdirSync(servicesDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort());
}
