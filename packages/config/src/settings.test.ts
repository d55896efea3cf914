import { loadConfig, serverSettings, serviceSettings } from './index';

test('serverSettings hands the listen and shutdown settings over in serve() terms', () => {
  const settings = loadConfig(serviceSettings(7000), { PORT: '8080', HOST: '0.0.0.0', SHUTDOWN_DELAY_MS: '5', SHUTDOWN_TIMEOUT_MS: '50' });
  expect(serverSettings(settings)).toEqual({ port: 8080, host: '0.0.0.0', shutdownDelayMs: 5, shutdownTimeoutMs: 50 });
});
