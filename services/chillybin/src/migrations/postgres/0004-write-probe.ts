import type { PostgresMigration } from './migration';

/** As ../0004-write-probe.ts: the table readiness' probe write uses (src/writes.ts). */
export const writeProbe: PostgresMigration = {
  name: '0004-write-probe',
  async up(client) {
    await client.query('CREATE TABLE write_probe (filler bytea NOT NULL)');
  },
  async down(client) {
    await client.query('DROP TABLE write_probe');
  },
};
