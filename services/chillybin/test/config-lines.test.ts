import { join } from 'node:path';
import { configProblems } from '@toasties/config';
import { describeConfigLines, stopAllProcesses } from '@toasties/testkit';
import { FLAG_NAMES } from '@toasties/contract';
import { configSchema } from '../src/config';
import { FLAGS } from '../src/flags';

// A bad value of every variable the chillybin reads is its one line, whatever else is set: another
// service's flag mistyped, a flag no service reads, a port or none. HOST, PID_FILE, DATABASE_PATH and
// UNLEASH_API_TOKEN take any text, so have no bad value.
describeConfigLines({
  problems: (env) => configProblems(configSchema, env),
  main: join(__dirname, '..', 'dist', 'main.js'),
  processEnv: { DATABASE_PATH: ':memory:' },
  flags: Object.keys(FLAGS),
  flagNames: FLAG_NAMES,
  foreignFlag: 'FLAG_PICK_V2',
  badValues: {
    PORT: '70000',
    VERSION: 'a b',
    LOG_LEVEL: 'loud',
    LOG_FORMAT: 'xml',
    SHUTDOWN_DELAY_MS: '-1',
    SHUTDOWN_TIMEOUT_MS: 'soon',
    WORKERS: '65',
    WORKER_READY_TIMEOUT_MS: '0',
    RELOAD_AT_ONCE: '0',
    DATABASE_URL: 'mysql://chillybin',
    DATABASE_POOL_SIZE: '0',
    DATABASE_STATEMENT_TIMEOUT_MS: '1',
    DATABASE_CONNECT_TIMEOUT_MS: '1',
    DATABASE_RETRY_WINDOW_MS: 'soon',
    SQLITE_SYNCHRONOUS: 'OFF',
    SQLITE_LOCK_WAIT_MS: '-5',
    SQLITE_MAX_PAGE_COUNT: '0',
    IDEMPOTENCY_KEY_TTL_SECONDS: '0',
    ADMIN_TOKEN: 'short',
    RATE_LIMIT_PER_MINUTE: '0',
    SERVICE_TOKEN: 'short',
    FLAG_PICK_V1: 'gita',
    UNLEASH_URL: 'unleash',
    UNLEASH_REFRESH_INTERVAL_MS: '0',
    UNLEASH_METRICS_INTERVAL_MS: '0',
    DATABASE_COMMIT_CHECK_MS: '-1',
    CHILLYBIN_TIMEOUT_MS: '0',
  },
});

afterAll(stopAllProcesses);
