import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every directory made here and not yet removed. */
const made = new Set<string>();

/** A new, empty directory in the system temp folder; removeTempDirs() removes it. */
export function tempDir(prefix = 'toasties'): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  made.add(dir);
  return dir;
}

/** A path for a new SQLite file in its own temporary directory. */
export function freshDatabasePath(prefix = 'toasties'): string {
  return join(tempDir(prefix), 'test.db');
}

/**
 * Remove every directory tempDir() made, and what is in it. Every test file runs this when
 * it ends, pass or fail (jest/environment.js, after the file's own hooks); a script calls it before it exits.
 */
export function removeTempDirs(): void {
  for (const dir of made) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    made.delete(dir);
  }
}
