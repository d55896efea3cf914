import { loadConfig } from '@toasties/config';
import { z } from 'zod';
import { createFlags, flagOptions, flagsInEffect, withFlags } from '../src/index';
import { FLAGS } from './fixtures/flags';

const schema = withFlags(FLAGS, z.object({}));
const inEffect = (env: Record<string, string>) => flagsInEffect(FLAGS, flagOptions(loadConfig(schema, env), FLAGS, 'test'));

describe('the start-up line: every flag, its value and where it comes from', () => {
  test.each<[string, Record<string, string>, string]>([
    ['nothing set: the defaults', {}, 'flags: pick.v2=off (default), pick.v1=on (default)'],
    ['the environment', { FLAG_PICK_V2: 'Gita,gwyn', FLAG_PICK_V1: 'OFF' }, 'flags: pick.v2=gita,gwyn (env FLAG_PICK_V2), pick.v1=off (env FLAG_PICK_V1)'],
    ['a percentage', { FLAG_PICK_V2: '25%' }, 'flags: pick.v2=25% (env FLAG_PICK_V2), pick.v1=on (default)'],
    [
      'Unleash, where the environment does not win (no password shown)',
      { UNLEASH_URL: 'http://admin:s3cret@unleash:4242/api', FLAG_PICK_V1: 'on' },
      'flags: pick.v2=off until http://***@unleash:4242/api answers (unleash), pick.v1=on (env FLAG_PICK_V1)',
    ],
  ])('%s', (_case, env, message) => {
    expect(inEffect(env).message).toBe(message);
  });

  test('the same as fields, for a log reader', () => {
    expect(inEffect({ FLAG_PICK_V2: 'gita' }).flags).toEqual({ 'pick.v2': { value: 'gita', source: 'env' }, 'pick.v1': { value: 'on', source: 'default' } });
  });
});

describe('customers in a list are matched without regard to case; percentages as given', () => {
  test.each(['gita', 'Gita', 'GITA'])('FLAG_PICK_V2=Gita,gwyn is on for %j', (customer) => {
    const flags = createFlags(FLAGS, flagOptions(loadConfig(schema, { FLAG_PICK_V2: 'Gita,gwyn' }), FLAGS, 'test'));
    expect(flags.isEnabled('pick.v2', { customer })).toBe(true);
    expect(flags.isEnabled('pick.v2', { customer: 'gitaa' })).toBe(false);
  });
});
