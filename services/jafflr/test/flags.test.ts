import { configProblems, loadConfig } from '@toasties/config';
import { configSchema } from '../src/config';
import { FLAGS } from '../src/flags';

// jafflr declares its own flags (src/flags.ts); chillybin's are not read here, but a value
// no flag could take still fails at start-up (docs/reliability.md).
const problemsOf = (env: Record<string, string>) => configProblems(configSchema, env);

describe("jafflr's flags", () => {
  test('pick.v2 is jafflr’s, read per customer: off by default, and FLAG_PICK_V2 takes a list or a percentage', () => {
    expect(Object.keys(FLAGS)).toEqual(['pick.v2']);
    expect(FLAGS['pick.v2']).toMatchObject({ default: false, perCustomer: true });
    expect(problemsOf({ FLAG_PICK_V2: 'gita,gwyn' })).toEqual([]);
    expect(problemsOf({ FLAG_PICK_V2: '25%' })).toEqual([]);
  });

  test('chillybin’s FLAG_PICK_V1, as `npm start` passes it to both, is not read here and does not stop jafflr', () => {
    expect(problemsOf({ FLAG_PICK_V1: 'off' })).toEqual([]);
    expect(loadConfig(configSchema, { FLAG_PICK_V1: 'off' })).not.toHaveProperty('FLAG_PICK_V1');
  });

  test('but a value no flag could take fails here too, as it always did', () => {
    expect(problemsOf({ FLAG_PICK_V1: 'maybe later' })).toEqual([expect.stringMatching(/^FLAG_PICK_V1: must be on, off, /)]);
  });
});
