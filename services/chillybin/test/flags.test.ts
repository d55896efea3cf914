import { configProblems, loadConfig } from '@toasties/config';
import { configSchema } from '../src/config';
import { FLAGS } from '../src/flags';

// chillybin declares its own flags (src/flags.ts); jafflr's are not read here, but a value
// no flag could take still fails at start-up (docs/reliability.md).
const problemsOf = (env: Record<string, string>) => configProblems(configSchema, { DATABASE_PATH: ':memory:', ...env });

describe("chillybin's flags", () => {
  test('pick.v1 is chillybin’s, read without a customer: on by default, and FLAG_PICK_V1 takes on or off only', () => {
    expect(Object.keys(FLAGS)).toEqual(['pick.v1']);
    expect(FLAGS['pick.v1']).toMatchObject({ default: true, perCustomer: false });
    expect(problemsOf({ FLAG_PICK_V1: 'off' })).toEqual([]);
    expect(problemsOf({ FLAG_PICK_V1: 'gita' })).toEqual([expect.stringMatching(/^FLAG_PICK_V1: must be on or off\b/)]);
  });

  test('jafflr’s FLAG_PICK_V2, as `npm start` passes it to both, is not read here and does not stop chillybin', () => {
    expect(problemsOf({ FLAG_PICK_V2: 'gita,gwyn' })).toEqual([]);
    expect(problemsOf({ FLAG_PICK_V2: '25%' })).toEqual([]);
    expect(loadConfig(configSchema, { FLAG_PICK_V2: 'gita' })).not.toHaveProperty('FLAG_PICK_V2');
  });

  test('but a value no flag could take fails here too, as it always did', () => {
    expect(problemsOf({ FLAG_PICK_V2: 'true' })).toEqual([expect.stringMatching(/^FLAG_PICK_V2: must be on, off, /)]);
  });
});
