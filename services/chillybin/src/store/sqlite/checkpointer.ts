import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Db } from '../../db';

/**
 * SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold, and with
 * better-sqlite3 every request of the worker waits for it: a thread of its own runs PASSIVE
 * checkpoints instead, and the request connection's only as a backstop (docs/write-path.md).
 */
const INTERVAL_MS = 100;
/** ~40 MB of WAL: reached only if the thread falls behind or stops. */
export const BACKSTOP_PAGES = 10_000;

/**
 * Only the WAL the request connection has open: a connection that finds no WAL at the path
 * creates one, which would hide a deleted WAL from the file-identity check.
 */
const THREAD = `
const { statSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0'); // a checkpoint already running elsewhere: skip this one
const timer = setInterval(() => {
  if (statSync(workerData.path + '-wal', { throwIfNoEntry: false })?.ino !== workerData.walInode) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy, or the file went away: the next tick tries again */ }
}, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  /** Before the request connection closes, so that one checkpoints last. */
  stop(): Promise<void>;
}

export function startCheckpointer(db: Db): Checkpointer {
  if (db.memory) return { stop: async () => undefined };
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const walInode = statSync(`${db.name}-wal`).ino; // there from the connection's first read
  const thread = new Worker(THREAD, { eval: true, workerData: { path: db.name, walInode, driver: require.resolve('better-sqlite3'), intervalMs: INTERVAL_MS } });
  thread.unref(); // it never keeps the process alive
  thread.on('error', () => undefined); // the backstop takes over
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  return {
    async stop() {
      thread.ref(); // until it has closed its connection: nothing else may be keeping the process alive
      thread.postMessage('stop');
      await exited;
    },
  };
}
