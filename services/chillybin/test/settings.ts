import { configSchema } from '../src/config';
import { defaults as pickDefaults, type Picking } from '../src/pick';

/**
 * The configuration's defaults (config.ts, the one place they live), for tests that build the
 * parts main.ts builds from the configuration: a test takes its values from here, never a
 * second copy of them.
 */
export const settings = configSchema.parse({});

/** openDatabase's options, as the service opens its database. */
export const sqliteOptions = { synchronous: settings.SQLITE_SYNCHRONOUS };
/** createSqliteStore's options. */
export const sqliteStoreOptions = { lockWaitMs: settings.SQLITE_LOCK_WAIT_MS };
/** createPostgresStore's waits. */
export const postgresStoreWaits = { lockWaitMs: settings.DATABASE_RETRY_WINDOW_MS, commitCheckMs: settings.DATABASE_COMMIT_CHECK_MS };
/** What the use cases need besides the store. */
export const pickingSettings: Omit<Picking, 'store'> = { ...pickDefaults, keyTtlMs: settings.IDEMPOTENCY_KEY_TTL_SECONDS * 1000 };
