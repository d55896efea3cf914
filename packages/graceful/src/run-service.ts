import cluster from 'node:cluster';
import { rmSync, writeFileSync } from 'node:fs';
import { runPrimary, type PrimaryOptions } from './cluster';

export type RunServiceOptions = Partial<PrimaryOptions> & Pick<PrimaryOptions, 'logger' | 'workers'> & {
  /** Runs once, before any worker starts (e.g. database migrations). Not run in workers. */
  readonly beforeWorkers?: () => Promise<void>;
  /** Builds the app and calls serve(); runs in each worker. */
  readonly worker: () => Promise<void>;
  /** Where to write the pid to signal (the primary's, or the single process's). */
  readonly pidFile?: string | undefined;
};

/**
 * Where a service's main() decides whether this process is the primary or a worker.
 * `workers: 0` runs everything in this one process: no primary, no reload (debugging).
 */
export async function runService({ workers, beforeWorkers, worker, pidFile, ...primary }: RunServiceOptions): Promise<void> {
  if (cluster.isWorker) return worker();
  if (pidFile) {
    writeFileSync(pidFile, `${process.pid}\n`);
    process.on('exit', () => rmSync(pidFile, { force: true }));
  }
  await beforeWorkers?.();
  if (workers === 0) return worker();
  runPrimary({ ...primary, workers });
}
