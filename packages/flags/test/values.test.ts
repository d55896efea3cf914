import { configProblems, loadConfig } from '@toasties/config';
import { z } from 'zod';
import { createFlags, flagOptions, withFlags } from '../src/index';
import { FLAGS } from './fixtures/flags';

// Which FLAG_ values are taken, and which are refused at start-up (docs/foxtrot.md, "Flags").
const schema = withFlags(FLAGS, z.object({}));

const problemsOf = (env: Record<string, string>) => configProblems(schema, env);

const flagsFrom = (env: Record<string, string>) => createFlags(FLAGS, flagOptions(loadConfig(schema, env), FLAGS, 'test'));

describe('on and off, in any case, for every flag', () => {
  test.each<[string, boolean]>([
    ['on', true],
    ['ON', true],
    ['On', true],
    ['off', false],
    ['OFF', false],
    ['Off', false],
  ])('FLAG_PICK_V1 and FLAG_PICK_V2 = %j: enabled for everyone is %s', (value, enabled) => {
    const flags = flagsFrom({ FLAG_PICK_V1: value, FLAG_PICK_V2: value });
    expect(flags.isEnabled('pick.v1')).toBe(enabled);
    expect(flags.isEnabled('pick.v2', { customer: 'gita' })).toBe(enabled);
    expect(flags.isEnabled('pick.v2')).toBe(enabled);
  });
});

describe('a flag read without a customer (pick.v1, read by chillybin)', () => {
  // A list or a percentage cannot match anyone unnamed, so it would mean "off for everyone".
  test.each(['maybe', 'gita', 'gita,gwyn', '25%', '100%', 'true', 'TRUE', 'FALSE', 'yes', '1', '0', 'enabled', 'o n'])(
    'FLAG_PICK_V1=%j is refused: one config line, naming it and saying on or off',
    (value) => {
      expect(problemsOf({ FLAG_PICK_V1: value })).toEqual([expect.stringMatching(/^FLAG_PICK_V1: must be on or off\b/)]);
    },
  );
});

describe('a flag read per customer (pick.v2, read by jafflr)', () => {
  test.each(['gita', 'gita,gwyn', 'customer-42', 'maybe', '25%', 'on', 'OFF'])('FLAG_PICK_V2=%j is taken', (value) => {
    expect(problemsOf({ FLAG_PICK_V2: value })).toEqual([]);
  });

  // What someone meaning on, off, everyone or a percentage may type instead, in any case:
  // as a customer name each would quietly match no one.
  test.each([
    'true', 'TRUE', 'True', 'false', 'FALSE', 'yes', 'YES', 'no', 'No', 'y', 'n', 't', 'f',
    'enabled', 'Disabled', 'enable', 'disable', 'all', 'ALL', 'none', 'everyone', 'nobody',
    '1', '0', '50', 'gita,on', 'gita,OFF', 'gita,true', '2.5%', '101%', 'gita gwyn', 'gita,,gwyn',
  ])('FLAG_PICK_V2=%j is refused: one config line with the accepted forms', (value) => {
    expect(problemsOf({ FLAG_PICK_V2: value })).toEqual([expect.stringMatching(/^FLAG_PICK_V2: must be on, off, /)]);
  });
});

// A FLAG_* variable the service does not declare (another service's, or a misspelt name):
// not read, but a value no flag could take still fails at start-up (docs/reliability.md,
// "Round two: delivery").
describe('a FLAG_ variable of a flag this service does not declare', () => {
  test.each(['gita', 'gita,gwyn', '25%', 'on', 'OFF'])('FLAG_TOASTER_V3=%j is taken, and changes no flag of this service', (value) => {
    expect(problemsOf({ FLAG_TOASTER_V3: value })).toEqual([]);
    const flags = flagsFrom({ FLAG_TOASTER_V3: value });
    expect(flags.isEnabled('pick.v2', { customer: 'gita' })).toBe(false);
    expect(flags.isEnabled('pick.v1')).toBe(true);
  });

  test.each(['true', 'YES', '150%', '50', 'sometimes please', 'gita,on'])('FLAG_TOASTER_V3=%j is refused: one config line, naming it, with the forms any flag takes', (value) => {
    expect(problemsOf({ FLAG_TOASTER_V3: value })).toEqual([expect.stringMatching(/^FLAG_TOASTER_V3: must be on, off, /)]);
  });

  test('each bad variable is its own line, the declared ones and the others together', () => {
    expect(problemsOf({ FLAG_PICK_V1: 'gita', FLAG_TOASTER_V3: 'true' })).toEqual([expect.stringMatching(/^FLAG_PICK_V1: must be on or off/), expect.stringMatching(/^FLAG_TOASTER_V3: must be on, off, /)]);
  });
});
