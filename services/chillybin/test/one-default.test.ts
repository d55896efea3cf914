import { defaults as database } from '../src/db';
import { defaults as picking } from '../src/pick';
import { defaults as postgresStore } from '../src/store/postgres/store';
import { defaults as sqliteStore } from '../src/store/sqlite/store';
import { defaults as writeRetry } from '../src/store/write-retry';
import { settings } from './settings';

// Every option a chillybin setting feeds (store/open.ts and worker.ts pass them) has its one
// default in the config schema. A module's defaults object holding one of them would be a
// second default, and the two would drift apart silently.
const fed: [string, object, Record<string, keyof typeof settings>][] = [
  ['openDatabase()', database, { synchronous: 'SQLITE_SYNCHRONOUS' }],
  ['createWriteRetry()', writeRetry, { lockWaitMs: 'SQLITE_LOCK_WAIT_MS' }],
  ['createSqliteStore()', sqliteStore, { lockWaitMs: 'SQLITE_LOCK_WAIT_MS' }],
  ['createPostgresStore()', postgresStore, { lockWaitMs: 'DATABASE_RETRY_WINDOW_MS', commitCheckMs: 'DATABASE_COMMIT_CHECK_MS' }],
  ['the use cases (pick.ts)', picking, { keyTtlMs: 'IDEMPOTENCY_KEY_TTL_SECONDS' }],
];

test.each(fed)("%s's defaults hold no option a setting feeds", (_factory, moduleDefaults, options) => {
  for (const setting of Object.values(options)) expect(settings[setting]).toBeDefined(); // the schema has the default
  expect(Object.keys(moduleDefaults).filter((option) => option in options)).toEqual([]);
});
