import type { Migration } from './migration';

/**
 * A table for readiness' probe write (src/writes.ts): after writes have failed, readiness
 * writes and deletes one page-sized row here to learn whether they work again. Always
 * empty between probes. A new table: nothing else changes, so older releases do not notice it.
 */
export const writeProbe: Migration = {
  name: '0004-write-probe',
  up(db) {
    db.exec('CREATE TABLE write_probe (filler BLOB NOT NULL) STRICT');
  },
  down(db) {
    db.exec('DROP TABLE write_probe');
  },
};
