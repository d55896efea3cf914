// Preloaded (node --require) into each service that `npm start` runs (scripts/start.mjs).
// The services run in process groups of their own, so that Ctrl-C reaches only
// start.mjs, which stops them in order. Should start.mjs itself go without doing so
// (kill -9, a crash), the pipe it holds as the service's stdin closes: the service then
// stops the ordinary way (SIGTERM: drain, then exit) instead of living on unseen.
// Only in the primary: the primary stops its own workers.
'use strict';
const cluster = require('node:cluster');

if (cluster.isPrimary && !process.stdin.isTTY) {
  process.stdin.once('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.once('error', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
  process.stdin.unref(); // watching for the end must not keep the process alive
}
