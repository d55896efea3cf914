import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A path for a new SQLite file in its own temporary directory. */
export function freshDatabasePath(prefix = 'toasties'): string {
  return join(mkdtempSync(join(tmpdir(), `${prefix}-`)), 'test.db');
}
