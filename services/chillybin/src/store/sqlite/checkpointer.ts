import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Db } from '../../db';

/**
 * WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the COMMIT
 * that crosses its threshold: that request, and with better-sqlite3 every request of the
 * worker, waits while pages are copied into the database file and synced. So the request
 * connection checkpoints only as a backstop (BACKSTOP_PAGES), and a thread of its own, with a
 * connection of its own, runs a PASSIVE checkpoint every INTERVAL_MS: it copies what no reader
 * still needs without taking any lock a writer waits for, and once it has copied everything the
 * next write starts the WAL over from its beginning.
 *
 * What keeps the WAL bounded under continuous load: the thread copies at the disk's pace while
 * requests append at theirs; if it ever falls behind (or stops), the backstop makes a request's
 * COMMIT checkpoint as SQLite's default does, only at a larger WAL.
 */
const INTERVAL_MS = 100;
/** ~40 MB of WAL (4 KiB pages): ten times SQLite's default threshold, reached only if the thread falls behind. */
export const BACKSTOP_PAGES = 10_000;

/**
 * Runs in the thread: the path, the WAL's inode (when a request connection already has it
 * open) and better-sqlite3's resolved module come in workerData. It checkpoints only that WAL:
 * a connection that finds no WAL at the path creates a new one, which would hide a deleted WAL
 * from the store's file-identity check (file-identity.ts). Started before any request
 * connection (the primary's), it takes the WAL its own first read opens, which every worker
 * then shares. It loads nothing but better-sqlite3; what it costs is the isolate itself
 * (~10 MB of RSS, whatever resourceLimits say), hence one per database file, not per worker.
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
  /** Stop the thread and close its connection, before the last request connection closes: the last to close checkpoints what is left and removes the WAL. */
  stop(): Promise<void>;
}

/**
 * Checkpoint the database file at `path` from a thread. With `walInode` (the WAL a request
 * connection has open), only that WAL; without, the one the thread's own connection opens.
 */
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
