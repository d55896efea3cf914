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
 * Checkpoints only the WAL a request connection has open (`walInode`): a connection that finds
 * no WAL at the path creates one, which would hide a deleted WAL from the file-identity check.
 * Started before any request connection (in the primary), it takes the WAL its own first read
 * opens, which every worker then shares. The thread's isolate costs ~10 MB whatever
 * resourceLimits say: hence one per database file, not one per worker.
 */
const THREAD = `
const { statSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0'); // a checkpoint already running elsewhere: skip this one
db.pragma('user_version'); // a first read: the WAL is there from here on
const walInode = workerData.walInode ?? statSync(workerData.path + '-wal').ino;
const timer = setInterval(() => {
  if (statSync(workerData.path + '-wal', { throwIfNoEntry: false })?.ino !== walInode) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy, or the file went away: the next tick tries again */ }
}, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  /** Before the last request connection closes: the last to close checkpoints what is left and removes the WAL. */
  stop(): Promise<void>;
}

/** Checkpoints the database file at `path` from a thread, with `walInode` only that WAL. */
export function startCheckpointer(path: string, walInode?: number): Checkpointer {
  const workerData = { path, walInode, driver: require.resolve('better-sqlite3'), intervalMs: INTERVAL_MS };
  const thread = new Worker(THREAD, { eval: true, workerData });
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

/** The request connection checkpoints only as a backstop, past BACKSTOP_PAGES. */
export function checkpointOnlyAsBackstop(db: Db): void {
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
}

/** Start checkpointing `db`'s file from a thread of this process; the request connection keeps only the backstop. */
export function startThreadCheckpointer(db: Db): Checkpointer {
  if (db.memory) return { stop: async () => undefined };
  checkpointOnlyAsBackstop(db);
  return startCheckpointer(db.name, statSync(`${db.name}-wal`).ino); // there from the connection's first read
}
