import type { Shutdown } from './shutdown';

/**
 * Which signals stop this process. SIGTERM always does. Alone, Ctrl-C (SIGINT) does too.
 * In a cluster worker, Ctrl-C and a terminal's hang-up reach every process of the group;
 * the primary answers them by sending SIGTERM to each worker (and SIGHUP means "reload" to
 * it), so a worker leaves them to the primary.
 */
export function stopOnSignals(shutdown: Shutdown, inCluster: boolean): void {
  process.on('SIGTERM', () => void shutdown.begin('SIGTERM'));
  if (inCluster) {
    process.on('SIGINT', () => undefined);
    process.on('SIGHUP', () => undefined);
  } else {
    process.on('SIGINT', () => void shutdown.begin('SIGINT'));
  }
}
