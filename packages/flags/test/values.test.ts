import { loadConfig } from '@toasties/config';
import { z } from 'zod';
import { createFlags, flagOptions, flagSettings } from '../src/index';

// Which FLAG_ values are taken, and which are refused at start-up (docs/foxtrot.md, "Flags").
const schema = z.object(flagSettings);

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(schema, env);
    return [];
  } catch (error) {
    return (error as { problems: readonly string[] }).problems;
  }
}

const flagsFrom = (env: Record<string, string>) => createFlags(flagOptions(loadConfig(schema, env), 'test'));

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
