import { join } from 'node:path';
import { configProblems } from '@toasties/config';
import { describeConfigLines, startService, stopAllProcesses } from '@toasties/testkit';
import { FLAG_NAMES } from '@toasties/contract';
import { configSchema } from '../src/config';
import { FLAGS } from '../src/flags';

// A bad value of every variable jafflr reads is its one line, whatever else is set: another
// service's flag mistyped, a flag no service reads, a port or none. HOST, PID_FILE and
// UNLEASH_API_TOKEN take any text, so have no bad value.
describeConfigLines({
  problems: (env) => configProblems(configSchema, env),
  main: join(__dirname, '..', 'dist', 'main.js'),
  flags: Object.keys(FLAGS),
  flagNames: FLAG_NAMES,
  foreignFlag: 'FLAG_PICK_V1',
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
    CHILLYBIN_URL: 'ftp://chillybin',
    CHILLYBIN_MAX_CONNECTIONS: '0',
    CHILLYBIN_TIMEOUT_MS: '0',
    COOK_TIME_SCALE: '11',
    RATE_LIMIT_PER_MINUTE: '0',
    SERVICE_TOKEN: 'short',
    FLAG_PICK_V2: 'true',
    UNLEASH_URL: 'unleash',
    UNLEASH_REFRESH_INTERVAL_MS: '0',
    UNLEASH_METRICS_INTERVAL_MS: '0',
  },
});

afterAll(stopAllProcesses);

describe('the flags in effect, said once at start-up', () => {
  test('two workers, FLAG_PICK_V2=Gita,gwyn: one line, from the primary, with the value as matched and its variable', async () => {
    const jafflr = await startService(join(__dirname, '..', 'dist', 'main.js'), { WORKERS: '2', FLAG_PICK_V2: 'Gita,gwyn' });
    const lines = jafflr.output().split('\n').filter((line) => line.includes('"msg":"flags: '));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'flags: pick.v2=gita,gwyn (env FLAG_PICK_V2)', flags: { 'pick.v2': { value: 'gita,gwyn', source: 'env' } } });
    await jafflr.stop();
  });
});
