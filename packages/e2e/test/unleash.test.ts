import { POSTGRES_TOOL, describeWithUnleash, startPostgres, startService, startUnleash, stopAllProcesses, waitFor, type RunningService, type UnleashServer } from '@toasties/testkit';
import { createFlags, defineFlags, parseRule, ruleAllows } from '@toasties/flags';
import { jafflrMain, restock, startStack, type Stack } from './services';

// jafflr against a real Unleash server (unleash-server, on the test's own PostgreSQL): the
// flag and its strategy are made through Unleash's admin API, as a person would, and jafflr
// reads them through unleash-client with a client token.

const REFRESH_MS = 300;
const FLAG = '/projects/default/features/pick.v2';
const DEVELOPMENT = `${FLAG}/environments/development`;

async function admin(unleash: UnleashServer, method: string, path: string, body?: unknown): Promise<unknown> {
  const answer = await unleash.admin(method, path, body);
  if (answer.status >= 300) throw new Error(`unleash ${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Which API jafflr used for this customer's toastie; throws on anything but 200. */
async function apiFor(jafflr: RunningService, customer: string): Promise<string> {
  const res = await fetch(`${jafflr.url}/toastie?i=cheese&customer=${customer}`, { method: 'POST' });
  const body = (await res.json()) as { api?: string };
  if (res.status !== 200) throw new Error(`toastie for ${customer}: ${res.status} ${JSON.stringify(body)}`);
  return body.api!;
}

/** jafflr reading Unleash, polling every REFRESH_MS and sending metrics every second; started once it has read the flags. */
async function jafflrOn(unleash: UnleashServer, chillybinUrl: string, env: NodeJS.ProcessEnv = {}): Promise<RunningService> {
  const jafflr = await startService(jafflrMain, {
    CHILLYBIN_URL: chillybinUrl,
    COOK_TIME_SCALE: '0',
    UNLEASH_URL: unleash.apiUrl,
    UNLEASH_API_TOKEN: unleash.clientToken,
    UNLEASH_REFRESH_INTERVAL_MS: String(REFRESH_MS),
    UNLEASH_METRICS_INTERVAL_MS: '1000',
    ...env,
  });
  await jafflr.waitForLine(/flags synchronized with unleash/, 60_000);
  return jafflr;
}

describeWithUnleash([POSTGRES_TOOL], 'jafflr with a real Unleash server', () => {
  let unleash: UnleashServer;
  let stack: Stack;
  let jafflr: RunningService;

  beforeAll(async () => {
    unleash = await startUnleash(await startPostgres());
    // pick.v2, on in development for the customers a constraint names: gita.
    await admin(unleash, 'POST', '/projects/default/features', { name: 'pick.v2', type: 'release' });
    await admin(unleash, 'POST', `${DEVELOPMENT}/strategies`, {
      name: 'flexibleRollout',
      parameters: { rollout: '100', stickiness: 'userId', groupId: 'pick.v2' },
      constraints: [{ contextName: 'userId', operator: 'IN', values: ['gita'], caseInsensitive: false, inverted: false }],
    });
    await admin(unleash, 'POST', `${DEVELOPMENT}/on`);
    stack = await startStack();
    jafflr = await jafflrOn(unleash, stack.chillybin.url);
  }, 300_000);
  // Enough for every toastie the traffic below makes: out of stock would be a failed request.
  beforeEach(() => restock(stack.chillybin, { cheese: 100_000, bread: 200_000 }));
  afterAll(stopAllProcesses);

  test('a customer the constraint names gets v2; others v1', async () => {
    expect(await apiFor(jafflr, 'gita')).toBe('v2');
    expect(await apiFor(jafflr, 'gwyn')).toBe('v1');
  });

  test('jafflr registers with the server and sends it metrics the server counts', async () => {
    await waitFor(async () => (await unleash.admin('GET', '/metrics/applications/jafflr')).status === 200, { timeoutMs: 120_000, what: 'jafflr registered' });
    const usage = await waitFor(
      async () => {
        const { body } = await unleash.admin('GET', '/client-metrics/features/pick.v2');
        const { lastHourUsage = [], seenApplications = [] } = body as { lastHourUsage?: { yes: number; no: number }[]; seenApplications?: string[] };
        const counted = lastHourUsage.reduce((sum, hour) => sum + hour.yes + hour.no, 0);
        return counted > 0 && seenApplications.includes('jafflr') ? { counted, seenApplications } : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'pick.v2 metrics from jafflr' },
    );
    expect(usage.seenApplications).toContain('jafflr');
  });

  test('the flag turned off in Unleash: jafflr switches gita back to v1, with no restart and no failed request', async () => {
    const pid = jafflr.pid;
    let sent = 0;
    let failures = 0;
    let stop = false;
    const traffic = (async () => {
      for (; !stop; sent++) await apiFor(jafflr, 'gita').catch(() => failures++);
    })();
    try {
      await admin(unleash, 'POST', `${DEVELOPMENT}/off`);
      await waitFor(async () => (await apiFor(jafflr, 'gita')) === 'v1', { timeoutMs: 60_000, intervalMs: REFRESH_MS, what: 'gita back on v1' });
      await admin(unleash, 'POST', `${DEVELOPMENT}/on`);
      await waitFor(async () => (await apiFor(jafflr, 'gita')) === 'v2', { timeoutMs: 60_000, intervalMs: REFRESH_MS, what: 'gita on v2 again' });
    } finally {
      stop = true;
      await traffic;
    }
    expect(sent).toBeGreaterThan(0);
    expect(failures).toBe(0);
    expect(jafflr.pid).toBe(pid);
    expect(jafflr.child.exitCode).toBeNull();
  });

  test('a flexibleRollout of 25% in Unleash picks exactly the customers FLAG_PICK_V2=25% picks', async () => {
    const [strategy] = (await admin(unleash, 'GET', `${DEVELOPMENT}/strategies`)) as { id: string }[];
    await admin(unleash, 'PUT', `${DEVELOPMENT}/strategies/${strategy!.id}`, { name: 'flexibleRollout', parameters: { rollout: '25', stickiness: 'userId', groupId: 'pick.v2' }, constraints: [] });
    const customers = Array.from({ length: 40 }, (_, i) => `customer-${i}`);
    const fromEnv = customers.filter((customer) => ruleAllows(parseRule('25%')!, 'pick.v2', customer));
    const onV2 = async () => {
      const chosen: string[] = [];
      for (const customer of customers) if ((await apiFor(jafflr, customer)) === 'v2') chosen.push(customer);
      return chosen;
    };
    await waitFor(async () => JSON.stringify(await onV2()) === JSON.stringify(fromEnv), { timeoutMs: 60_000, intervalMs: REFRESH_MS, what: 'the 25% rollout' });
    expect(fromEnv.length).toBeGreaterThan(0);
  });

  test('a flag Unleash does not know keeps its default', async () => {
    const flags = createFlags(defineFlags({ 'pick.v1': { description: 'not in Unleash', default: true, perCustomer: false } }), {
      unleash: { url: unleash.apiUrl, apiToken: unleash.clientToken, appName: 'e2e' },
    });
    try {
      await flags.synchronized(60_000);
      expect(flags.isEnabled('pick.v1')).toBe(true);
    } finally {
      flags.close();
    }
  });

  test('Unleash gone: jafflr keeps the last flags it read, and an environment override still wins', async () => {
    const customers = ['gita', 'gwyn', 'customer-1', 'customer-2', 'customer-3', 'customer-4'];
    const overridden = await jafflrOn(unleash, stack.chillybin.url, { FLAG_PICK_V2: 'gwyn' });
    const apis = async (service: RunningService) => Promise.all(customers.map((customer) => apiFor(service, customer)));
    const before = await apis(jafflr);
    expect(await apis(overridden)).toEqual(customers.map((customer) => (customer === 'gwyn' ? 'v2' : 'v1')));
    await unleash.stop();
    // Both have tried Unleash since, and failed (the warning each logs): the flags are what they were.
    await Promise.all([jafflr, overridden].map((service) => service.waitForNextLine(/unleash error/, 60_000)));
    expect(await apis(jafflr)).toEqual(before);
    expect(await apis(overridden)).toEqual(customers.map((customer) => (customer === 'gwyn' ? 'v2' : 'v1')));
  });
});
