import type { Shutdown } from './shutdown';

// SIGTERM always stops. In a cluster, Ctrl-C and a terminal's hang-up reach every process of the group
// and the primary answers them (SIGTERM to each worker; SIGHUP is its reload), so a worker leaves them.
export function stopOnSignals(shutdown: Shutdown, inCluster: boolean): void {
  process.on('SIGTERM', () => void shutdown.begin('SIGTERM'));
  if (inCluster) {
    process.on('SIGINT', () => undefined);
    process.on('SIGHUP', () => undefined);
  } else {
    process.on('SIGINT', () => void shutdown.begin('SIGINT'));
  }
}
