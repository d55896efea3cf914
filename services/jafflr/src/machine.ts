/**
 * The toastie machine's state. It counts toasties in progress rather than keeping a
 * "busy" flag: with two toasties cooking, the first one finishing must not make the
 * machine look available.
 */
export interface MachineStatus {
  readonly status: 'available' | 'toasting';
  readonly inProgress: number;
  readonly made: number;
}

export interface Machine {
  /**
   * Runs one toastie from start to finish, counted while it runs, and as made when it ends
   * well, unless `isNew` says it was made before (a replayed toastie).
   */
  run<T>(work: () => Promise<T>, isNew?: (result: T) => boolean): Promise<T>;
  /** This process's machine only: in a cluster, see combinedStatus. */
  status(): MachineStatus;
}

/**
 * Several machines as one: each worker of a cluster runs a machine of its own, and the
 * service's status (GET /) is all of them, summed.
 */
export function combinedStatus(statuses: readonly MachineStatus[]): MachineStatus {
  const inProgress = statuses.reduce((sum, status) => sum + status.inProgress, 0);
  const made = statuses.reduce((sum, status) => sum + status.made, 0);
  return { status: inProgress > 0 ? 'toasting' : 'available', inProgress, made };
}

export function createMachine(): Machine {
  let inProgress = 0;
  let made = 0;
  return {
    async run(work, isNew = () => true) {
      inProgress += 1;
      try {
        const result = await work();
        if (isNew(result)) made += 1;
        return result;
      } finally {
        inProgress -= 1;
      }
    },
    status: () => ({ status: inProgress > 0 ? 'toasting' : 'available', inProgress, made }),
  };
}
