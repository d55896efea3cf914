import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, processSettings, releaseVersion, serverSettings, serviceSettings } from './index';

test('serverSettings hands the listen and shutdown settings over in serve() terms', () => {
  const settings = loadConfig(serviceSettings(7000), { PORT: '8080', HOST: '0.0.0.0', VERSION: 'v9', SHUTDOWN_DELAY_MS: '5', SHUTDOWN_TIMEOUT_MS: '50' });
  expect(serverSettings(settings)).toEqual({ port: 8080, host: '0.0.0.0', version: 'v9', shutdownDelayMs: 5, shutdownTimeoutMs: 50 });
});

test('processSettings hands the worker settings over in runService() terms', () => {
  const settings = loadConfig(serviceSettings(7000), { WORKERS: '2', WORKER_READY_TIMEOUT_MS: '500', SHUTDOWN_TIMEOUT_MS: '50' });
  expect(processSettings(settings)).toEqual({ workers: 2, readyTimeoutMs: 500, shutdownTimeoutMs: 50, pidFile: undefined });
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
