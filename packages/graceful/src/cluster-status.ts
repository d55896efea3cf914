import type { ClusterHealth } from '@toasties/contract';
import type { WorkersMessage } from './cluster-messages';

/** What /health adds in a cluster: every worker serving now, and whether a reload is under way. */
export type ClusterDetails = ClusterHealth | Record<string, never>;

/**
 * A worker's view of its cluster, as the primary last announced it (cluster.ts announces on
 * every change), so that any worker's /health tells whether a reload is done. The service
 * holds it: it hands `details` to its health endpoint and the object to serve(), which
 * records the announcements.
 */
export interface ClusterStatus {
  /** `{ workers: [{ pid, version }, …], reloading }` once the primary has announced; `{}` outside a cluster. */
  readonly details: () => ClusterDetails;
  /** Keep an announcement; the latest one wins. */
  record(announcement: WorkersMessage): void;
}

export function createClusterStatus(): ClusterStatus {
  let announced: ClusterDetails = {};
  return {
    details: () => ({ ...announced }),
    record({ workers, reloading }) {
      // An announcement with nobody serving yet says nothing /health could use.
      announced = workers.length > 0 ? { workers, reloading } : {};
    },
  };
}
