import { loadConfig, processSettings, serverSettings, serviceSettings } from './index';

test('serverSettings hands the listen and shutdown settings over in serve() terms', () => {
  const settings = loadConfig(serviceSettings(7000), { PORT: '8080', HOST: '0.0.0.0', VERSION: 'v9', SHUTDOWN_DELAY_MS: '5', SHUTDOWN_TIMEOUT_MS: '50' });
  expect(serverSettings(settings)).toEqual({ port: 8080, host: '0.0.0.0', version: 'v9', shutdownDelayMs: 5, shutdownTimeoutMs: 50 });
});

test('processSettings hands the worker settings over in runService() terms', () => {
  const settings = loadConfig(serviceSettings(7000), { WORKERS: '2', WORKER_READY_TIMEOUT_MS: '500', SHUTDOWN_TIMEOUT_MS: '50' });
  expect(processSettings(settings)).toEqual({ workers: 2, readyTimeoutMs: 500, shutdownTimeoutMs: 50 });
});
