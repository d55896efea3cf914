// Preloaded (node --require) into each service that `npm start` runs (scripts/start.mjs).
// The services run in process groups of their own, so that Ctrl-C reaches only
// start.mjs, which stops them in order. Should start.mjs itself go without doing so
// (kill -9, a crash), the pipe it holds as the service's stdin closes: the service then
// stops the ordinary way (SIGTERM: drain, then exit) instead of living on unseen.
// Only in the primary: the primary stops its own workers. Not in a worker thread (a preload
// runs in those too, e.g. chillybin's checkpoint thread): its process.stdin is a stream from
// the thread's parent, which gives it none, and reading it ends that process.
'use strict';
const cluster = require('node:cluster');
const { isMainThread } = require('node:worker_threads');

if (isMainThread && cluster.isPrimary && !process.stdin.isTTY) {
  process.stdin.once('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.once('error', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
  process.stdin.unref(); // watching for the end must not keep the process alive
}
