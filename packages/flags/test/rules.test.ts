import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@toasties/config';
import { z } from 'zod';
import { bucketOf, createFlags, defineFlags, envVariable, flagOptions, parseRule, withFlags, type Rule } from '../src/index';
import { FLAGS } from './fixtures/flags';

const schema = withFlags(FLAGS, z.object({}));
const flagsFrom = (env: Record<string, string>) => createFlags(FLAGS, flagOptions(loadConfig(schema, env), FLAGS, 'test'));

describe('the flag list', () => {
  test('pick.v2 is off and pick.v1 on by default, each with a description', () => {
    const flags = createFlags(FLAGS);
    expect(flags.isEnabled('pick.v2', { customer: 'gita' })).toBe(false);
    expect(flags.isEnabled('pick.v1')).toBe(true);
    for (const flag of Object.values(FLAGS)) expect(flag.description.length).toBeGreaterThan(10);
  });

  test('each flag is overridden by its FLAG_ variable', () => {
    expect(envVariable('pick.v2')).toBe('FLAG_PICK_V2');
    expect(envVariable('pick.v1')).toBe('FLAG_PICK_V1');
  });
});

describe('parseRule', () => {
  test.each<[string, Rule]>([
    ['on', { kind: 'on' }],
    ['off', { kind: 'off' }],
    ['gita', { kind: 'customers', customers: new Set(['gita']) }],
    ['gita, gwyn', { kind: 'customers', customers: new Set(['gita', 'gwyn']) }],
    ['customer-42', { kind: 'customers', customers: new Set(['customer-42']) }],
    ['0%', { kind: 'percentage', percent: 0 }],
    ['25%', { kind: 'percentage', percent: 25 }],
    ['100%', { kind: 'percentage', percent: 100 }],
  ])('reads %j', (text, rule) => {
    expect(parseRule(text)).toEqual(rule);
  });

  test.each(['', 'gita,,gwyn', 'gita gwyn', '101%', '2.5%', '-5%', '%', 'yes please', 'true', 'FALSE', '1', '50', 'gita,yes'])('refuses %j', (text) => {
    expect(parseRule(text)).toBeUndefined();
  });
});

describe('flags from the environment', () => {
  test.each<[string, string, Record<string, boolean>]>([
    ['on', 'on', { gita: true, gwyn: true }],
    ['off', 'off', { gita: false, gwyn: false }],
    ['a list', 'gita', { gita: true, gwyn: false }],
  ])('FLAG_PICK_V2=%s turns pick.v2 on for exactly the right customers', (_case, value, expected) => {
    const flags = flagsFrom({ FLAG_PICK_V2: value });
    for (const [customer, enabled] of Object.entries(expected)) expect(flags.isEnabled('pick.v2', { customer })).toBe(enabled);
  });

  test('FLAG_PICK_V1=off turns the v1 endpoint off, with or without a customer', () => {
    const flags = flagsFrom({ FLAG_PICK_V1: 'off' });
    expect(flags.isEnabled('pick.v1')).toBe(false);
    expect(flags.isEnabled('pick.v1', { customer: 'gita' })).toBe(false);
  });

  test('a list or a percentage does not match someone without a name', () => {
    expect(flagsFrom({ FLAG_PICK_V2: 'gita' }).isEnabled('pick.v2')).toBe(false);
    expect(flagsFrom({ FLAG_PICK_V2: '100%' }).isEnabled('pick.v2')).toBe(false);
  });

  test('a percentage lets through about that share of customers, the same ones every time', () => {
    const customers = Array.from({ length: 2000 }, (_, i) => `customer-${i}`);
    const first = flagsFrom({ FLAG_PICK_V2: '25%' });
    const again = flagsFrom({ FLAG_PICK_V2: '25%' });
    const chosen = customers.filter((customer) => first.isEnabled('pick.v2', { customer }));
    expect(chosen.length / customers.length).toBeGreaterThan(0.2);
    expect(chosen.length / customers.length).toBeLessThan(0.3);
    expect(customers.filter((customer) => again.isEnabled('pick.v2', { customer }))).toEqual(chosen);
    expect(chosen.every((customer) => bucketOf('pick.v2', customer) <= 25)).toBe(true);
  });

  test('raising the percentage only adds customers: nobody already switched is switched back', () => {
    const customers = Array.from({ length: 500 }, (_, i) => `customer-${i}`);
    const at = (percent: string) => new Set(customers.filter((customer) => flagsFrom({ FLAG_PICK_V2: percent }).isEnabled('pick.v2', { customer })));
    const ten = at('10%');
    const fifty = at('50%');
    expect([...ten].every((customer) => fifty.has(customer))).toBe(true);
    expect(fifty.size).toBeGreaterThan(ten.size);
  });

  test.each([
    ['FLAG_PICK_V2', { FLAG_PICK_V2: 'sometimes please' }],
    ['FLAG_PICK_V2', { FLAG_PICK_V2: 'true' }],
    ['FLAG_PICK_V2', { FLAG_PICK_V2: '150%' }],
    ['FLAG_PICK_V1', { FLAG_PICK_V1: 'gita smith' }],
    ['UNLEASH_URL', { UNLEASH_URL: 'unleash:4242' }],
  ])('a bad %s is one config problem naming the variable and the accepted forms', (name, env) => {
    try {
      loadConfig(schema, env);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as { problems: string[] }).problems).toEqual([expect.stringMatching(new RegExp(`^${name}: `))]);
    }
  });
});

describe('a service declares its own flags', () => {
  test('the package itself declares none: no flag of a service is named in its code', () => {
    const code = readdirSync(join(__dirname, '../src')).flatMap((file) => readFileSync(join(__dirname, '../src', file), 'utf8').split('\n'));
    const notComments = code.filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line));
    expect(notComments.filter((line) => /['"]pick\.v\d['"]/.test(line))).toEqual([]);
  });

  test.each(['Pick.V2', 'pick_v2', 'pick..v2', 'pick v2', '.pick', ''])('a flag named %j is refused when declared', (name) => {
    expect(() => defineFlags({ [name]: { description: 'a flag', default: false, perCustomer: true } })).toThrow(/must be lower-case words joined by dots/);
  });

  test('a flag named with several dots has one variable: ops.pick.v3 → FLAG_OPS_PICK_V3', () => {
    expect(envVariable('ops.pick.v3')).toBe('FLAG_OPS_PICK_V3');
  });
});
