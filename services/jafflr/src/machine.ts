/** Counts toasties in progress, not a "busy" flag: with two cooking, the first finishing must not look available. */
export interface MachineStatus {
  readonly status: 'available' | 'toasting';
  readonly inProgress: number;
  readonly made: number;
}

export interface Machine {
  /** `isNew` false: made before (a replayed toastie), not counted as made. */
  run<T>(work: () => Promise<T>, isNew?: (result: T) => boolean): Promise<T>;
  /** This process's machine only: in a cluster, see combinedStatus. */
  status(): MachineStatus;
}

/** Each worker runs a machine of its own; GET / sums them. */
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
