#!/usr/bin/env node
// @ts-check
// The command line of service-descriptions.mjs, for the delivery scripts (bash):
//
//   services.mjs order <service>...       the services in deploy order: each after the ones it calls
//   services.mjs env <service> <dir>      its environment on a first deploy, VAR=value a line
//                                         (<dir>: its directory under DEPLOY_ROOT)
//   services.mjs dirs <service> <dir>     the directories that environment names, to create
//   services.mjs migrate <service>        its migrate command, one argument a line (none: nothing)
//   services.mjs backup <service>         the variable naming the file to back up, then the
//                                         command, one a line (none: nothing)
//   services.mjs calls <service>          the services it calls, one a line
//   services.mjs callers <service>        the services that call it, one a line
//   services.mjs plan <service>           one line saying how it deploys, for deploy.sh --plan
// Port variables (CHILLYBIN_PORT …) are read from the environment.
// exit: 0 printed, 2 bad usage, an unknown service or a description that is not valid
import { callers, describe, directories, environment, Invalid, order, plan } from './service-descriptions.mjs';

const [command, ...args] = process.argv.slice(2);
/** @type {Record<string, [number, (args: string[]) => readonly string[]]>} */
const commands = {
  order: [-1, (services) => order(services)],
  env: [2, ([service, dir]) => environment(service ?? '', dir ?? '').map(([key, value]) => `${key}=${value}`)],
  dirs: [2, ([service, dir]) => directories(service ?? '', dir ?? '')],
  migrate: [1, ([service]) => describe(service ?? '').migrate ?? []],
  backup: [1, ([service]) => {
    const { backup } = describe(service ?? '');
    return backup ? [backup.file, ...backup.command] : [];
  }],
  calls: [1, ([service]) => describe(service ?? '').calls],
  callers: [1, ([service]) => callers(service ?? '')],
  plan: [1, ([service]) => [plan(service ?? '')]],
};
const chosen = commands[command ?? ''];
if (!chosen || (chosen[0] >= 0 ? args.length !== chosen[0] : args.length === 0)) {
  process.stderr.write('usage: services.mjs order <service>... | env <service> <dir> | dirs <service> <dir> | migrate <service> | backup <service> | calls <service> | callers <service> | plan <service>\n');
  process.exit(2);
}
try {
  process.stdout.write(chosen[1](args).map((line) => `${line}\n`).join(''));
} catch (error) {
  if (!(error instanceof Invalid)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
