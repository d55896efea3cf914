import type { Db } from '../../db';

/**
 * A page-sized row needs a free page, so the probe fails as a real write would on a full disk.
 * Prepared on use: the table comes with migration 0004.
 */
export function sqliteWriteProbe(db: Db): void {
  db.prepare('INSERT INTO write_probe (filler) VALUES (zeroblob(4096))').run();
  db.prepare('DELETE FROM write_probe').run();
}
