import { join } from 'node:path';
import { spawnProcess, stopAllProcesses, waitFor } from '@toasties/testkit';
import { createFlags, parseRule, ruleAllows, type Flags } from '../src/index';
import { FLAGS } from './fixtures/flags';
import { startFakeUnleash, type FakeUnleash } from './unleash-server';

// The real unleash-client, polling a local server that speaks the Unleash client API.
let server: FakeUnleash;
let flags: Flags<keyof typeof FLAGS> | undefined;

beforeEach(async () => {
  server = await startFakeUnleash();
});
afterEach(async () => {
  flags?.close(); // after this, jest must find no timer or socket left open
  flags = undefined;
  await server.close();
});

function connect(options: Parameters<typeof createFlags<typeof FLAGS>>[1] = {}) {
  flags = createFlags(FLAGS, { unleash: { url: server.url, apiToken: 'default:development.secret', appName: 'flags-test' }, ...options });
  return flags;
}

const userWithId = (name: string, userIds: string) => ({ name, enabled: true, strategies: [{ name: 'userWithId', parameters: { userIds } }] });
const rollout = (name: string, percent: number) => ({
  name,
  enabled: true,
  strategies: [{ name: 'flexibleRollout', parameters: { rollout: String(percent), stickiness: 'userId', groupId: name } }],
});

describe('flags from an Unleash server', () => {
  test('userWithId turns pick.v2 on for the listed customers only, once the flags are fetched with the token', async () => {
    server.features = [userWithId('pick.v2', 'gita,gwyn')];
    const flags = connect();
    await flags.synchronized(5000);
    expect(flags.isEnabled('pick.v2', { customer: 'gita' })).toBe(true);
    expect(flags.isEnabled('pick.v2', { customer: 'gwyn' })).toBe(true);
    expect(flags.isEnabled('pick.v2', { customer: 'pat' })).toBe(false);
    expect(server.received.find((r) => r.path === '/api/client/features')?.authorization).toBe('default:development.secret');
  });

  test('a flexibleRollout of 25% picks exactly the customers FLAG_PICK_V2=25% picks', async () => {
    server.features = [rollout('pick.v2', 25)];
    const flags = connect();
    await flags.synchronized(5000);
    const env = parseRule('25%')!;
    const customers = Array.from({ length: 400 }, (_, i) => `customer-${i}`);
    const fromUnleash = customers.filter((customer) => flags.isEnabled('pick.v2', { customer }));
    expect(fromUnleash).toEqual(customers.filter((customer) => ruleAllows(env, 'pick.v2', customer)));
    expect(fromUnleash.length).toBeGreaterThan(50);
  });

  test('the environment wins over Unleash', async () => {
    server.features = [userWithId('pick.v2', 'gita')];
    const flags = connect({ overrides: { 'pick.v2': parseRule('off')! } });
    await flags.synchronized(5000);
    expect(flags.isEnabled('pick.v2', { customer: 'gita' })).toBe(false);
  });

  test('a flag the server does not know keeps its default', async () => {
    server.features = [userWithId('pick.v2', 'gita')];
    const flags = connect();
    await flags.synchronized(5000);
    expect(flags.isEnabled('pick.v1')).toBe(true);
  });

  test('the client registers and reports how often each flag was asked', async () => {
    server.features = [userWithId('pick.v2', 'gita')];
    const flags = connect({ metricsIntervalMs: 50 });
    await flags.synchronized(5000);
    flags.isEnabled('pick.v2', { customer: 'gita' });
    await waitFor(() => server.received.some((r) => r.path === '/api/client/register'), { what: 'a registration' });
    const metrics = await waitFor(() => server.received.find((r) => r.path === '/api/client/metrics' && r.body.includes('pick.v2')), { what: 'metrics naming pick.v2' });
    expect(JSON.parse(metrics.body)).toMatchObject({ appName: 'flags-test', bucket: { toggles: { 'pick.v2': { yes: 1 } } } });
  });

  test('a change on the server is picked up at the next poll', async () => {
    server.features = [userWithId('pick.v2', 'gita')];
    const flags = connect({ refreshIntervalMs: 50 });
    await flags.synchronized(5000);
    expect(flags.isEnabled('pick.v2', { customer: 'gwyn' })).toBe(false);
    server.features = [userWithId('pick.v2', 'gita,gwyn')];
    await waitFor(() => flags.isEnabled('pick.v2', { customer: 'gwyn' }), { what: 'gwyn to be switched on' });
  });

  test('when the server refuses the token, flags keep their defaults and the refusal is logged', async () => {
    server.refuseWith = 401;
    const warnings: string[] = [];
    const flags = connect({ logger: { info: () => undefined, warn: (details) => warnings.push(String((details as { err?: Error }).err?.message)) } });
    expect(flags.isEnabled('pick.v2', { customer: 'gita' })).toBe(false);
    await expect(flags.synchronized(300)).rejects.toThrow(/not synchronized with unleash/);
    expect(flags.isEnabled('pick.v2', { customer: 'gita' })).toBe(false);
    expect(flags.isEnabled('pick.v1')).toBe(true);
    expect(warnings).toContainEqual(expect.stringContaining('401'));
  });
});

test('without UNLEASH_URL, no network is used and synchronized() resolves at once', async () => {
  const local = createFlags(FLAGS);
  await expect(local.synchronized()).resolves.toBeUndefined();
  expect(local.isEnabled('pick.v2', { customer: 'gita' })).toBe(false);
  local.close();
});

test('closing the flags while Unleash is unreachable lets the process exit by itself, without an error', async () => {
  // NODE_ENV=production as in a service: under NODE_ENV=test (jest's) unleash-client
  // keeps its timers ref'd, and one it schedules after destroy() holds a process 15 s.
  const proc = spawnProcess(process.execPath, [join(__dirname, 'fixtures', 'close-while-unreachable.js')], { NODE_ENV: 'production' });
  await expect(proc.waitForExit(20_000)).resolves.toEqual({ code: 0, signal: null });
  expect(proc.output()).toBe('closed\n');
});

afterAll(stopAllProcesses);
