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

// A FLAG_* variable the service does not declare: another service's flag (`npm start` gives both
// services one environment) is not read, but a value no flag could take still fails at start-up;
// a name no service of the repository reads is refused, naming the flag most likely meant.
describe('a FLAG_ variable of a flag this service does not declare', () => {
  // Like jafflr: it reads pick.v2; pick.v1 is the chillybin's.
  const jafflrLike = withFlags({ 'pick.v2': FLAGS['pick.v2'] }, z.object({}));
  const problems = (env: Record<string, string>) => configProblems(jafflrLike, env);

  test.each(['on', 'OFF', 'gita', '25%'])('another service\'s flag, FLAG_PICK_V1=%j, is taken here and changes no flag of this service', (value) => {
    expect(problems({ FLAG_PICK_V1: value })).toEqual([]);
    const flags = createFlags({ 'pick.v2': FLAGS['pick.v2'] }, flagOptions(loadConfig(jafflrLike, { FLAG_PICK_V1: value }), { 'pick.v2': FLAGS['pick.v2'] }, 'test'));
    expect(flags.isEnabled('pick.v2', { customer: 'gita' })).toBe(false);
  });

  test.each(['true', 'YES', '150%', '50', 'sometimes please', 'gita,on'])('another service\'s flag with a value no flag takes, FLAG_PICK_V1=%j, is refused: one line with the forms any flag takes', (value) => {
    expect(problems({ FLAG_PICK_V1: value })).toEqual([expect.stringMatching(/^FLAG_PICK_V1: must be on, off, /)]);
  });

  test.each([
    ['FLAG_PICKV2', 'FLAG_PICK_V2'],
    ['FLAG_PICK_v2', 'FLAG_PICK_V2'],
    ['FLAG_V2_PICK', 'FLAG_PICK_V2'],
    ['FLAG_PIKC_V2', 'FLAG_PICK_V2'],
    ['FLAG_PICK_V3', 'FLAG_PICK_V1'],
    ['flag_pick_v1', 'FLAG_PICK_V1'],
  ])('%s, read by no service, is refused: "did you mean %s?"', (name, meant) => {
    for (const schema of [jafflrLike, withFlags(FLAGS, z.object({}))]) {
      expect(configProblems(schema, { [name]: 'gita' })).toEqual([`${name}: no service of this repository reads this flag; did you mean ${meant}? (flags: FLAG_PICK_V1, FLAG_PICK_V2) (got "gita")`]);
    }
  });

  test('a name like no flag at all is refused with the list of flags', () => {
    expect(problems({ FLAG_TOASTER: 'on' })).toEqual(['FLAG_TOASTER: no service of this repository reads this flag (flags: FLAG_PICK_V1, FLAG_PICK_V2) (got "on")']);
  });

  test('each bad variable is its own line, the declared ones and the others together', () => {
    expect(problemsOf({ FLAG_PICK_V1: 'gita', FLAG_TOASTER_V3: 'true' })).toEqual([expect.stringMatching(/^FLAG_PICK_V1: must be on or off/), expect.stringMatching(/^FLAG_TOASTER_V3: no service of this repository reads this flag/)]);
  });
});
