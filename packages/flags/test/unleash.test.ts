import { join } from 'node:path';
import { spawnProcess, stopAllProcesses } from '@toasties/testkit';
import { createFlags, type Flags } from '../src/index';
import { FLAGS } from './fixtures/flags';
import { startFakeUnleash, type FakeUnleash } from './unleash-server';

// The real unleash-client, polling a local stand-in that speaks the Unleash client API.
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

// How a well-behaved server's flags are read (targeting, rollouts, the environment winning, a
// change picked up live, registration and metrics) is proven against a real unleash-server:
// packages/e2e/test/unleash.test.ts. The stand-in here is for what a real one will not do.
describe('flags from a misbehaving Unleash server', () => {
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
