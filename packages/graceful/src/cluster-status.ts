import type { ClusterHealth } from '@toasties/contract';
import type { WorkersMessage } from './cluster-messages';

export type ClusterDetails = ClusterHealth | Record<string, never>;

/** As the primary last announced it (on every change), so any worker's /health tells whether a reload is done. */
export interface ClusterStatus {
  readonly details: () => ClusterDetails;
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
