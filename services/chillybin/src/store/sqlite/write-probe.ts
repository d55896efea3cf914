import type { Db } from '../../db';

/**
 * The probe readiness writes after a write failed: a page-sized row written and deleted in one
 * committed transaction. It needs a free page, so it fails as a real write would on a full
 * disk, and it takes the write lock. Prepared on use: the table comes with migration 0004, and
 * this runs only after a failure.
 */
export function sqliteWriteProbe(db: Db): void {
  db.prepare('INSERT INTO write_probe (filler) VALUES (zeroblob(4096))').run();
  db.prepare('DELETE FROM write_probe').run();
}
