#!/usr/bin/env node
// @ts-check
// Reads a service's JSON log for the shell scripts (release-rehearsal.sh), by the message
// texts of @toasties/contract's log-events.ts, as the release being run names them: the
// contract is loaded from <release-dir> (a built service directory), so it is the one its
// code logs with, and nothing in this repository needs building first.
//
//   read-log.mjs listening-url <log-file> <release-dir>
//       the url of the first "listening" line (with PORT=0, the port the kernel chose)
// exit: 0 printed, 1 no such line yet, 2 bad usage
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [command, logFile, releaseDir] = process.argv.slice(2);
if (command !== 'listening-url' || !logFile || !releaseDir) {
  process.stderr.write('usage: read-log.mjs listening-url <log-file> <release-dir>\n');
  process.exit(2);
}

/** @type {typeof import('@toasties/contract')} */
const contract = createRequire(join(releaseDir, 'package.json'))('@toasties/contract');

for (const line of readFileSync(logFile, 'utf8').split('\n')) {
  /** @type {{ msg?: unknown, url?: unknown }} */
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    continue; // not a JSON log line (node's own warnings, a blank)
  }
  if (entry.msg === contract.LOG_MESSAGES.listening && typeof entry.url === 'string') {
    process.stdout.write(`${entry.url}\n`);
    process.exit(0);
  }
}
process.exit(1);
