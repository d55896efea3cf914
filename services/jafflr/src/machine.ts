/**
 * The toastie machine's state. It counts toasties in progress rather than keeping a
 * "busy" flag: with two toasties cooking, the first one finishing must not make the
 * machine look available.
 */
export interface Machine {
  /** Runs one toastie from start to finish, counted while it runs. */
  run<T>(work: () => Promise<T>): Promise<T>;
  status(): { status: 'available' | 'toasting'; inProgress: number; made: number };
}

export function createMachine(): Machine {
  let inProgress = 0;
  let made = 0;
  return {
    async run(work) {
      inProgress += 1;
      try {
        const result = await work();
        made += 1;
        return result;
      } finally {
        inProgress -= 1;
      }
    },
    status: () => ({ status: inProgress > 0 ? 'toasting' : 'available', inProgress, made }),
  };
}
