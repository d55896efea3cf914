import { stopAllProcesses } from './process';
import { removeTempDirs } from './temp';

// jest/environment.js lives outside the test file's module registry, so it cannot require this testkit
// (it would get another copy, with no processes): the test file's global object is what the two share.
export const CLEAN_UP_KEY = '__toastiesTestkitCleanUp';

export async function cleanUp(): Promise<void> {
  await stopAllProcesses();
  removeTempDirs();
}

(globalThis as Record<string, unknown>)[CLEAN_UP_KEY] = cleanUp;
