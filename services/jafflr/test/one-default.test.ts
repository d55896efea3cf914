import { defaults } from '@toasties/http/service-client';
import { configSchema } from '../src/config';

// CHILLYBIN_TIMEOUT_MS and CHILLYBIN_MAX_CONNECTIONS have their one default in the config
// schema; the service client takes them explicitly. A default kept there too would drift.
test.each([
  ['CHILLYBIN_TIMEOUT_MS', 'timeoutMs'],
  ['CHILLYBIN_MAX_CONNECTIONS', 'maxConnections'],
])('%s: the config schema knows it, the service client keeps no default for %s', (setting, option) => {
  expect(Object.keys(configSchema.parse({}))).toContain(setting);
  expect(Object.keys(defaults)).not.toContain(option);
});
