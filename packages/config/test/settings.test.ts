import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { bearerToken, ConfigError, loadConfig, processSettings, releaseVersion, serverSettings, serviceSettings } from '../src/index';

test('serverSettings hands the listen and shutdown settings over in serve() terms', () => {
  const settings = loadConfig(serviceSettings(7000), { PORT: '8080', HOST: '0.0.0.0', VERSION: 'v9', SHUTDOWN_DELAY_MS: '5', SHUTDOWN_TIMEOUT_MS: '50' });
  expect(serverSettings(settings)).toEqual({ port: 8080, host: '0.0.0.0', version: 'v9', shutdownDelayMs: 5, shutdownTimeoutMs: 50 });
});

test('processSettings hands the worker settings over in runService() terms', () => {
  const settings = loadConfig(serviceSettings(7000), { WORKERS: '2', WORKER_READY_TIMEOUT_MS: '500', RELOAD_AT_ONCE: '2', SHUTDOWN_TIMEOUT_MS: '50' });
  expect(processSettings(settings)).toEqual({ workers: 2, readyTimeoutMs: 500, reloadAtOnce: 2, shutdownTimeoutMs: 50, pidFile: undefined });
});

describe('releaseVersion', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'release-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('reads the VERSION file a release carries, and VERSION in the environment still wins', () => {
    writeFileSync(join(dir, 'VERSION'), 'abc123\n');
    expect(releaseVersion(dir)).toBe('abc123');
    expect(loadConfig(serviceSettings(7000, releaseVersion(dir)), {}).VERSION).toBe('abc123');
    expect(loadConfig(serviceSettings(7000, releaseVersion(dir)), { VERSION: 'override' }).VERSION).toBe('override');
  });

  test('is "dev" in a working copy, with no VERSION file', () => {
    expect(releaseVersion(dir)).toBe('dev');
  });
});

describe('bearerToken (ADMIN_TOKEN, SERVICE_TOKEN)', () => {
  const schema = z.object({ ADMIN_TOKEN: bearerToken().optional() });
  const problemsOf = (value: string) => {
    try {
      loadConfig(schema, { ADMIN_TOKEN: value });
      return [];
    } catch (error) {
      return [...(error as ConfigError).problems];
    }
  };

  test.each(['0123456789abcdef0123', 'a-long-enough-admin-token', 'dGhpcyBpcyBiYXNlNjQ+/w==', 'A.B_C~D+E/F-G.H.I.J'])('takes %j', (token) => {
    expect(problemsOf(token)).toEqual([]);
  });

  // Each could be typed into an environment, and none could ever be sent as one credential.
  test.each([
    ['a blank', 'correct horse battery staple'],
    ['a tab', 'correct\thorse-battery-staple'],
    ['a blank at the end', 'a-long-enough-admin-token '],
    ['a quote', 'a-long-enough-"admin"-token'],
    ['a non-ASCII letter', 'a-long-enough-ädmin-token'],
    ['a comma', 'a-long-enough,admin-token'],
    ['= inside', 'a-long-enough=admin-token'],
    ['too short', 'hunter2'],
  ])('refuses a token with %s: one line, and the value is never shown', (_case, token) => {
    const problems = problemsOf(token);
    expect(problems).toEqual([expect.stringMatching(/^ADMIN_TOKEN: must be 16 or more letters, digits .+ \(got \d+ characters, not shown\)$/)]);
    expect(problems.join()).not.toContain(token);
  });
});
