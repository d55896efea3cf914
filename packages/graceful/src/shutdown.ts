import type { Server } from 'node:http';
import type { LogWriter } from '@toasties/observability/log-writer';
import type { Drainer } from './drain';

export interface ShutdownOptions {
  readonly shutdownDelayMs: number;
  readonly shutdownTimeoutMs: number;
  readonly idleGraceMs: number | undefined;
  readonly logger: LogWriter<'info' | 'warn' | 'error'>;
  readonly onShutdownStart: () => void;
  readonly cleanups: ReadonlyArray<() => unknown>;
}

export interface Shutdown {
  /** Readiness fails → the delay → drain → cleanups → exit 0 (1 past the deadline). Resolves never: it exits. */
  begin(reason: string): Promise<void>;
  /** A second begin() forces the exit. */
  readonly begun: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createShutdown(server: Server, drainer: Drainer, options: ShutdownOptions): Shutdown {
  const { shutdownDelayMs, shutdownTimeoutMs, idleGraceMs, logger, onShutdownStart, cleanups } = options;
  let begun = false;
  return {
    get begun() {
      return begun;
    },
    async begin(reason) {
      if (begun) {
        logger.warn({ reason }, 'shutdown forced by a second signal');
        process.exit(1);
      }
      begun = true;
      const started = Date.now();
      const force = exitAfterDeadline(shutdownTimeoutMs, logger);

      logger.info({ reason, shutdownDelayMs }, 'shutting down: readiness now fails');
      onShutdownStart();
      await sleep(shutdownDelayMs);
      logger.info({}, 'draining in-flight requests');
      const budgetLeft = shutdownTimeoutMs - (Date.now() - started) - 500;
      await drainer.drain({ idleGraceMs: Math.max(0, Math.min(idleGraceMs ?? server.keepAliveTimeout + 1000, budgetLeft)) });
      await runCleanups(cleanups, logger);
      clearTimeout(force);
      logger.info({ ms: Date.now() - started }, 'shutdown complete');
      process.exit(0);
    },
  };
}

function exitAfterDeadline(shutdownTimeoutMs: number, logger: LogWriter<'error'>): NodeJS.Timeout {
  return setTimeout(() => {
    logger.error({ shutdownTimeoutMs }, 'shutdown took too long; exiting now');
    process.exit(1);
  }, shutdownTimeoutMs);
}

/** Each one even if the one before it failed (a database still gets closed). */
async function runCleanups(cleanups: ReadonlyArray<() => unknown>, logger: LogWriter<'error'>): Promise<void> {
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (error) {
      logger.error({ err: error }, 'cleanup failed');
    }
  }
}
