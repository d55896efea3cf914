import cluster, { type Worker } from 'node:cluster';
import { replacementComplete, replacementStarted, replacementStopped } from '@toasties/contract';
import type { Logger } from './serve';
import { isListenFailedMessage, isReadyMessage, WAIT_READY_ENV, type ListenFailedMessage, type WorkerInfo, type WorkersMessage } from './messages';

export interface PrimaryOptions {
  /** How many workers serve at once. */
  readonly workers: number;
  readonly logger: Logger;
  /** A replacement worker not ready within this long is given up on, and the reload stops. */
  readonly readyTimeoutMs: number;
  /** Budget for all workers to drain and exit on SIGTERM/SIGINT. */
  readonly shutdownTimeoutMs: number;
  /** First delay before replacing a crashed worker; doubles on each crash in a row. */
  readonly restartDelayMs: number;
  readonly maxRestartDelayMs: number;
}

export const primaryDefaults: Omit<PrimaryOptions, 'logger'> = {
  workers: 1,
  readyTimeoutMs: 30_000,
  shutdownTimeoutMs: 10_000,
  restartDelayMs: 100,
  maxRestartDelayMs: 10_000,
};

/** A worker that lived this long before crashing resets the backoff. */
const STABLE_AFTER_MS = 10_000;

interface Slot {
  readonly worker: Worker;
  readonly startedAt: number;
  version?: string;
  retiring: boolean;
}

/**
 * The primary process: holds the listening socket (node:cluster hands connections to
 * the workers), keeps `workers` of them running, and never serves a request itself.
 *
 * - SIGHUP: rolling reload. One worker at a time: fork its replacement (which loads the
 *   code on disk now), wait until it is listening and ready, then drain the old one. A
 *   replacement that is not ready in time is stopped and the reload ends there; the
 *   workers still running keep serving.
 * - SIGUSR2: canary. The same, for one worker only.
 * - A worker that dies unasked is replaced, after a backoff that grows while it keeps dying.
 * - SIGTERM/SIGINT: every worker drains; exit 0 when all have exited cleanly, else 1.
 */
export function runPrimary(options: Partial<PrimaryOptions> & Pick<PrimaryOptions, 'logger'>): void {
  const { workers, logger, readyTimeoutMs, shutdownTimeoutMs, restartDelayMs, maxRestartDelayMs } = { ...primaryDefaults, ...options };
  const slots = new Map<number, Slot>();
  let shuttingDown = false;
  let crashesInARow = 0;
  let reloads: Promise<void> = Promise.resolve();
  let reloading = false;

  function serving(): WorkerInfo[] {
    return [...slots.values()].filter((slot) => slot.version !== undefined && !slot.retiring).map((slot) => ({ pid: slot.worker.process.pid ?? -1, version: slot.version! }));
  }

  function announce(): void {
    const message: WorkersMessage = { toasties: 'workers', workers: serving(), reloading };
    // A worker on its way out may have closed its channel already: the callback swallows that.
    for (const slot of slots.values()) if (slot.worker.isConnected()) slot.worker.send(message, undefined, () => undefined);
  }

  /** Fork a worker; `ready` resolves once it reports ready, rejects if it exits or times out first. */
  function fork(waitReady: boolean): { slot: Slot; ready: Promise<Slot> } {
    const worker = cluster.fork(waitReady ? { [WAIT_READY_ENV]: '1' } : {});
    const slot: Slot = { worker, startedAt: Date.now(), retiring: false };
    slots.set(worker.id, slot);
    worker.on('exit', (code, signal) => onExit(slot, code, signal));
    worker.on('error', (error) => logger.warn({ workerPid: worker.process.pid, err: error.message }, 'worker channel error'));
    worker.on('message', (message: unknown) => {
      if (isListenFailedMessage(message)) cannotListen(worker, message);
    });
    const ready = new Promise<Slot>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker ${worker.process.pid} not ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      worker.on('message', (message: unknown) => {
        if (!isReadyMessage(message)) return;
        clearTimeout(timer);
        slot.version = message.version;
        logger.info({ workerPid: worker.process.pid, version: message.version }, 'worker ready');
        announce();
        resolve(slot);
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker ${worker.process.pid} exited with ${code} before it was ready`));
      });
    });
    return { slot, ready };
  }

  function startWorker(waitReady: boolean): void {
    fork(waitReady).ready.catch((error: Error) => {
      // Stopped on its way up by a shutdown: not a failure of its own.
      if (!shuttingDown) logger.error({ err: error.message }, 'worker failed to start');
    });
  }

  function onExit(slot: Slot, code: number | null, signal: string | null): void {
    slots.delete(slot.worker.id);
    announce();
    if (shuttingDown || slot.retiring) return;
    crashesInARow = Date.now() - slot.startedAt > STABLE_AFTER_MS ? 1 : crashesInARow + 1;
    const delay = Math.min(restartDelayMs * 2 ** (crashesInARow - 1), maxRestartDelayMs);
    logger.error({ workerPid: slot.worker.process.pid, code, signal, restartInMs: delay }, 'worker died; replacing it');
    setTimeout(() => {
      if (!shuttingDown) startWorker(false);
    }, delay);
  }

  /** Drain a worker (it runs its own graceful shutdown on SIGTERM); resolves when it has gone. */
  function retire(slot: Slot): Promise<void> {
    slot.retiring = true;
    announce();
    return new Promise((resolve) => {
      if (slot.worker.isDead()) return resolve();
      slot.worker.once('exit', () => resolve());
      slot.worker.process.kill('SIGTERM');
    });
  }

  async function replace(count: number, what: string): Promise<void> {
    reloading = true;
    try {
      await replaceWorkers(count, what);
    } finally {
      reloading = false;
      announce();
    }
  }

  async function replaceWorkers(count: number, what: string): Promise<void> {
    const old = [...slots.values()].filter((slot) => !slot.retiring).slice(0, count);
    logger.info({ replacing: old.length }, replacementStarted(what));
    for (const slot of old) {
      if (shuttingDown) return;
      const { slot: candidate, ready } = fork(true);
      let fresh: Slot;
      try {
        fresh = await ready;
      } catch (error) {
        // It never listened (it waits for readiness first), so stopping it drops nothing.
        candidate.retiring = true;
        candidate.worker.process.kill('SIGKILL');
        logger.error({ err: (error as Error).message, serving: serving() }, replacementStopped(what));
        return;
      }
      // The old worker drains in the background: its replacement already serves, and a
      // drain may wait out a client's keep-alive timeout (drain.ts).
      void retire(slot);
      logger.info({ from: slot.version, to: fresh.version }, 'worker replaced');
    }
    logger.info({ serving: serving() }, replacementComplete(what));
  }

  /** Reloads run one after another; one that fails must not stop the ones queued after it. */
  function queue(count: () => number, what: string): void {
    reloads = reloads.then(() => replace(count(), what)).catch((error: Error) => logger.error({ err: error.message }, `${what} failed`));
  }

  /** No worker could ever listen on that address: replacing them forever would hide it. */
  function cannotListen(worker: Worker, { address, code, message }: ListenFailedMessage): void {
    if (shuttingDown) return; // every worker reports it; the first one says it all
    logger.error({ workerPid: worker.process.pid, address, code, err: message }, `a worker cannot listen on ${address} (${code}): check HOST and PORT; exiting`);
    void shutdown('listen failed', 1);
  }

  /** `exitCode` 1: exit 1 even if every worker drains cleanly (a fatal condition, not a stop). */
  async function shutdown(signal: string, exitCode: 0 | 1 = 0): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal, workers: slots.size }, 'shutting down: draining every worker');
    const force = setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'workers took too long to drain; exiting now');
      for (const slot of slots.values()) slot.worker.process.kill('SIGKILL');
      process.exit(1);
    }, shutdownTimeoutMs + 1000);
    const exits = [...slots.values()].map(
      (slot) => new Promise<number | null>((resolve) => (slot.worker.isDead() ? resolve(slot.worker.process.exitCode) : slot.worker.once('exit', (code) => resolve(code)))),
    );
    for (const slot of slots.values()) slot.worker.process.kill('SIGTERM');
    const codes = await Promise.all(exits);
    clearTimeout(force);
    if (exitCode !== 0) {
      // The reason was logged when it happened; workers stopped before they could listen have no clean exit to report.
      logger.info({ codes }, 'every worker stopped');
      process.exit(exitCode);
    }
    const clean = codes.every((code) => code === 0);
    logger.info({ codes }, clean ? 'shutdown complete' : 'shutdown complete, but a worker did not exit cleanly');
    process.exit(clean ? 0 : 1);
  }

  process.on('SIGHUP', () => queue(() => slots.size, 'reload'));
  process.on('SIGUSR2', () => queue(() => 1, 'canary'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  logger.info({ workers }, 'primary started');
  for (let i = 0; i < workers; i++) startWorker(false);
}
