import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

export function tempDir(prefix = 'toasties'): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  made.add(dir);
  return dir;
}

export function freshDatabasePath(prefix = 'toasties'): string {
  return join(tempDir(prefix), 'test.db');
}

/** Every test file runs this when it ends, pass or fail (jest/environment.js); a script calls it before it exits. */
export function removeTempDirs(): void {
  for (const dir of made) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    made.delete(dir);
  }
}
