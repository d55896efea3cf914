import { stopAllProcesses } from './process';
import { removeTempDirs } from './temp';

/**
 * Where a jest test file's testkit leaves its clean-up for jest/environment.js. The
 * environment lives outside the test file's module registry, so it cannot require the
 * testkit the test used (it would get another copy, with no processes); the test file's
 * global object is what the two share.
 */
export const CLEAN_UP_KEY = '__toastiesTestkitCleanUp';

/** Stop every process this testkit started and remove every temp dir it made. */
export async function cleanUp(): Promise<void> {
  await stopAllProcesses();
  removeTempDirs();
}

(globalThis as Record<string, unknown>)[CLEAN_UP_KEY] = cleanUp;
