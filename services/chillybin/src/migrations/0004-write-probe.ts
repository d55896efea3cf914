import type { Migration } from './migration';

/** For readiness' probe write (store/sqlite/write-probe.ts); empty between probes. */
export const writeProbe: Migration = {
  name: '0004-write-probe',
  up(db) {
    db.exec('CREATE TABLE write_probe (filler BLOB NOT NULL) STRICT');
  },
  down(db) {
    db.exec('DROP TABLE write_probe');
  },
};
