import { processSettings, serverSettings, serviceSettings } from '@toasties/config';
import { defaults, primaryDefaults } from '../src';

// Every option a service's settings feed (serverSettings and processSettings say which) has
// its one default in the config schema. A defaults object here holding one of them would be
// a second default, and the two would drift apart silently.
const settings = serviceSettings(7000).parse({});
const fed = [...Object.keys(serverSettings(settings)), ...Object.keys(processSettings(settings))];

test.each([
  ['serve()', defaults],
  ['runPrimary()', primaryDefaults],
])("%s's defaults hold no option a setting feeds", (_factory, moduleDefaults) => {
  expect(fed.length).toBeGreaterThan(0);
  expect(Object.keys(moduleDefaults).filter((option) => fed.includes(option))).toEqual([]);
});
