import { z } from 'zod';
import { ConfigError, configProblems, loadConfig, serviceSettings, withShutdownBudget } from '../src/index';

const schema = withShutdownBudget(serviceSettings(7001));

const problemsOf = (env: Record<string, string>) => configProblems(schema, env);

describe('loadConfig', () => {
  test('with nothing set, the documented defaults apply', () => {
    expect(loadConfig(schema, {})).toEqual({
      PORT: 7001, HOST: '127.0.0.1', VERSION: 'dev', LOG_LEVEL: 'info', SHUTDOWN_DELAY_MS: 0, SHUTDOWN_TIMEOUT_MS: 10000,
      WORKERS: 1, WORKER_READY_TIMEOUT_MS: 30000, RELOAD_AT_ONCE: 1,
    });
  });

  test('LOG_FORMAT is read here like every other variable: json or pretty, unset by default (pretty on a terminal)', () => {
    expect(loadConfig(schema, { LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(loadConfig(schema, { LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(loadConfig(schema, {}).LOG_FORMAT).toBeUndefined();
  });

  test('an empty variable counts as unset', () => {
    expect(loadConfig(schema, { PORT: '' }).PORT).toBe(7001);
  });

  test('values are converted to their types', () => {
    expect(loadConfig(schema, { PORT: '0', SHUTDOWN_DELAY_MS: '250' })).toMatchObject({ PORT: 0, SHUTDOWN_DELAY_MS: 250 });
  });

  test.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '1.5' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['VERSION', { VERSION: 'has space' }],
    ['SHUTDOWN_DELAY_MS', { SHUTDOWN_DELAY_MS: '-1' }],
    ['SHUTDOWN_DELAY_MS', { SHUTDOWN_DELAY_MS: 'soon' }], // one line: the budget check does not run on a number that is not one
    ['SHUTDOWN_TIMEOUT_MS', { SHUTDOWN_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '1000' }],
    ['WORKERS', { WORKERS: '-1' }],
    ['WORKERS', { WORKERS: 'many' }],
    ['LOG_FORMAT', { LOG_FORMAT: 'yaml' }],
    ['LOG_FORMAT', { LOG_FORMAT: 'PRETTY' }],
  ])('when %s is bad (%j), the one problem line names it and shows the value', (name, env) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
  });

  test('a bad secret (a *_TOKEN) is named but its value is never shown', () => {
    const withToken = schema.and(z.object({ ADMIN_TOKEN: z.string().min(16) }));
    let problems: readonly string[] = [];
    try {
      loadConfig(withToken, { ADMIN_TOKEN: 'hunter2' });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([expect.stringMatching(/^ADMIN_TOKEN: .+ \(got 7 characters, not shown\)$/)]);
    expect(problems.join()).not.toContain('hunter2');
  });

  test('every bad variable gets its own line', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'y' }).map((line) => line.split(':')[0])).toEqual(['PORT', 'LOG_LEVEL']);
  });

  test('a service can extend the shared settings', () => {
    const extended = serviceSettings(7000).extend({ EXTRA: z.string().default('x') });
    expect(loadConfig(extended, {}).EXTRA).toBe('x');
  });
});
