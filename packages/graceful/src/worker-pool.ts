import cluster, { type Worker } from 'node:cluster';
import type { WorkerVersion } from '@toasties/contract';
import type { LogWriter } from '@toasties/observability/log-writer';
import { CONNECTIONS_ENV, isProcessMessage, WAIT_READY_ENV, type ListenFailedMessage, type WorkersMessage } from './cluster-messages';

export interface Slot {
  readonly worker: Worker;
  readonly startedAt: number;
  version?: string;
  /** Asked to go (drained, or given up on): its exit is expected, not a crash. */
  retiring: boolean;
  /** It said it is draining (a signal of its own, or its primary gone): no new connection goes to it. */
  draining: boolean;
}

export interface PoolEvents {
  crashed(slot: Slot, code: number | null, signal: string | null): void;
  cannotListen(worker: Worker, message: ListenFailedMessage): void;
  ready(slot: Slot): void;
}

export interface PoolOptions {
  readonly logger: LogWriter<'info' | 'warn' | 'error'>;
  readonly readyTimeoutMs: number;
  /** The port the primary holds, when it does: each worker then serves the connections it is sent (primary-listener.ts). */
  readonly connectionsPort: number | undefined;
}

export interface WorkerPool {
  readonly size: number;
  current(): Slot[];
  serving(): WorkerVersion[];
  takers(): Worker[];
  /** `ready` rejects if it exits or times out first. */
  fork(waitReady: boolean): { slot: Slot; ready: Promise<Slot> };
  start(): void;
  /** It runs its own graceful shutdown on SIGTERM. */
  retire(slot: Slot): Promise<void>;
  /** It never listened, so killing it drops nothing. */
  discard(slot: Slot): void;
  whileReloading(reload: () => Promise<void>): Promise<void>;
  readonly stopping: boolean;
  stopAll(): Promise<Array<number | null>>;
  killAll(): void;
}

export function createWorkerPool({ logger, readyTimeoutMs, connectionsPort }: PoolOptions, events: PoolEvents): WorkerPool {
  const slots = new Map<number, Slot>();
  let reloading = false;
  let stopping = false;

  const serving = (): WorkerVersion[] =>
    [...slots.values()].filter((slot) => slot.version !== undefined && !slot.retiring).map((slot) => ({ pid: slot.worker.process.pid ?? -1, version: slot.version! }));

  function announce(): void {
    const message: WorkersMessage = { toasties: 'workers', workers: serving(), reloading };
    // A worker on its way out may have closed its channel already: the callback swallows that.
    for (const slot of slots.values()) if (slot.worker.isConnected()) slot.worker.send(message, undefined, () => undefined);
  }

  function exited(slot: Slot, code: number | null, signal: string | null): void {
    slots.delete(slot.worker.id);
    announce();
    if (!stopping && !slot.retiring) events.crashed(slot, code, signal);
  }

  function fork(waitReady: boolean): { slot: Slot; ready: Promise<Slot> } {
    const worker = cluster.fork({ ...(waitReady && { [WAIT_READY_ENV]: '1' }), ...(connectionsPort !== undefined && { [CONNECTIONS_ENV]: String(connectionsPort) }) });
    const slot: Slot = { worker, startedAt: Date.now(), retiring: false, draining: false };
    slots.set(worker.id, slot);
    worker.on('exit', (code, signal) => exited(slot, code, signal));
    worker.on('error', (error) => logger.warn({ workerPid: worker.process.pid, err: error.message }, 'worker channel error'));
    worker.on('message', (message: unknown) => {
      if (isProcessMessage(message, 'listen-failed')) events.cannotListen(worker, message);
      if (isProcessMessage(message, 'draining')) slot.draining = true;
    });
    return { slot, ready: readyOf(slot) };
  }

  function readyOf(slot: Slot): Promise<Slot> {
    const { worker } = slot;
    return new Promise<Slot>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker ${worker.process.pid} not ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      worker.on('message', (message: unknown) => {
        if (!isProcessMessage(message, 'ready')) return;
        clearTimeout(timer);
        slot.version = message.version;
        logger.info({ workerPid: worker.process.pid, version: message.version }, 'worker ready');
        announce();
        events.ready(slot);
        resolve(slot);
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker ${worker.process.pid} exited with ${code} before it was ready`));
      });
    });
  }

  return {
    get size() {
      return slots.size;
    },
    current: () => [...slots.values()].filter((slot) => !slot.retiring),
    serving,
    takers: () => [...slots.values()].filter((slot) => slot.version !== undefined && !slot.retiring && !slot.draining && slot.worker.isConnected()).map((slot) => slot.worker),
    fork,
    start() {
      fork(false).ready.catch((error: Error) => {
        // Stopped on its way up by a shutdown: not a failure of its own.
        if (!stopping) logger.error({ err: error.message }, 'worker failed to start');
      });
    },
    retire(slot) {
      slot.retiring = true;
      announce();
      return new Promise((resolve) => {
        if (slot.worker.isDead()) return resolve();
        slot.worker.once('exit', () => resolve());
        slot.worker.process.kill('SIGTERM');
      });
    },
    discard(slot) {
      slot.retiring = true;
      slot.worker.process.kill('SIGKILL');
    },
    async whileReloading(reload) {
      reloading = true;
      announce(); // from the signal on, not from the first replacement's readiness
      try {
        await reload();
      } finally {
        reloading = false;
        announce();
      }
    },
    get stopping() {
      return stopping;
    },
    stopAll() {
      stopping = true;
      // A worker stopped on its way up has no SIGTERM handler yet and dies by the signal; it
      // had served nothing, so that is a clean stop, not a failure.
      const cleanCode = (slot: Slot, code: number | null, signal: string | null) => (code === null && signal === 'SIGTERM' && slot.version === undefined ? 0 : code);
      const exits = [...slots.values()].map(
        (slot) =>
          new Promise<number | null>((resolve) => {
            const { worker } = slot;
            if (worker.isDead()) resolve(cleanCode(slot, worker.process.exitCode, worker.process.signalCode));
            else worker.once('exit', (code: number | null, signal: string | null) => resolve(cleanCode(slot, code, signal)));
          }),
      );
      // A worker retiring from a reload is draining already: a second SIGTERM would count as
      // "stop now" (serve.ts) and cut its drain short with exit 1. Wait for it instead.
      for (const slot of slots.values()) if (!slot.retiring) slot.worker.process.kill('SIGTERM');
      return Promise.all(exits);
    },
    killAll() {
      for (const slot of slots.values()) slot.worker.process.kill('SIGKILL');
    },
  };
}
