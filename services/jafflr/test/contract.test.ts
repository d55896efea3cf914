import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { KeyReused, OutOfStock } from '@toasties/contract';
import { createChillybinClient, type ChillybinClient } from '../src/chillybin-client';

// jafflr's expectations of chillybin (contract/chillybin.json) are what a deploy replays against
// a candidate chillybin (scripts/lib/can-i-deploy.mjs). Here they are held to jafflr's own
// client, so the file cannot drift from it: for each interaction the client makes, a loopback
// stand-in of chillybin records the request and answers as the interaction says; the request
// must be the interaction's, and the client must make of the answer what jafflr expects.

interface Interaction {
  readonly description: string;
  /** Sent by the deploy's check only, to give chillybin the state the others need (a restock). */
  readonly setup?: boolean;
  readonly request: { readonly method: string; readonly path: string; readonly headers?: Record<string, string>; readonly json?: unknown };
  readonly response: { readonly status: number; readonly json?: unknown };
}
interface Contract {
  readonly interactions: readonly Interaction[];
}
interface Matching {
  differences(expected: unknown, actual: unknown, path: string, options?: { exact?: boolean }): string[];
  placeholderTypes(value: unknown): string[] | undefined;
  withRun(text: string, run: string): string;
}
// The deploy's own matching rules: CommonJS with JSDoc types, as the deploy runs it where nothing is built.
const { differences, placeholderTypes, withRun } = require('../../../scripts/lib/contract-match.cjs') as Matching;

const contract = JSON.parse(readFileSync(join(__dirname, '..', 'contract', 'chillybin.json'), 'utf8')) as Contract;
const run = 'contract-test';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer as the file shapes it
type Body = any;
const cheeseAndBread = [
  { ingredient: 'cheese', quantity: 1 },
  { ingredient: 'bread', quantity: 2 },
];
const placed = async (order: Promise<{ orderId: string; replayed: boolean }>) => `placed order ${(await order).orderId}`;

/** Each interaction jafflr's client makes, keyed by its description: the call, and what jafflr makes of the answer. */
const jafflr: Record<string, { call: (client: ChillybinClient) => Promise<string>; outcome: (answer: Body) => string }> = {
  'an order of cheese and two slices of bread for a customer (pick.v2)': {
    call: (client) => placed(client.pickOrder('can-i-deploy', cheeseAndBread, `can-i-deploy-${run}`, 'sha256:can-i-deploy-light')),
    outcome: (answer) => `placed order ${String(answer.order.id)}`,
  },
  'an order of more than there is (pick.v2)': {
    call: (client) => placed(client.pickOrder('can-i-deploy', [{ ingredient: 'cheese', quantity: 1000 }], `can-i-deploy-more-${run}`, 'sha256:can-i-deploy-more')),
    outcome: (answer) => `out of stock: ${answer.ingredient}`,
  },
  'an order of an ingredient the chillybin never held (pick.v2)': {
    call: (client) => placed(client.pickOrder('can-i-deploy', [{ ingredient: 'dragonfruit', quantity: 1 }], `can-i-deploy-unknown-${run}`, 'sha256:can-i-deploy-unknown')),
    outcome: (answer) => `out of stock: ${answer.ingredient}`,
  },
  'a v1 pick of one slice of cheese (pick.v2 off)': {
    call: async (client) => (await client.pick('cheese', 1), 'picked'),
    outcome: () => 'picked',
  },
  "its health, which jafflr's readiness asks": {
    call: async (client) => (await client.health(), 'healthy'),
    outcome: () => 'healthy',
  },
  "the first order's key again, for the same items but another toastie (another requestFingerprint: a retry that changed only the doneness), refused (pick.v2)": {
    call: (client) => placed(client.pickOrder('can-i-deploy', cheeseAndBread, `can-i-deploy-${run}`, 'sha256:can-i-deploy-burnt')),
    outcome: () => 'refused: key reused',
  },
};

/** How a call ended, in the words the table uses. */
async function outcomeOf(call: Promise<string>): Promise<string> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof OutOfStock) return `out of stock: ${error.ingredient}`;
    if (error instanceof KeyReused) return 'refused: key reused';
    return `failed: ${String(error)}`;
  }
}

// A placeholder is answered with a value of one of its types; each of them in turn, as jafflr
// must read any answer the file allows (an order id is a string, or a number from an older chillybin).
const EXAMPLES: Record<string, unknown> = { string: 'chillybin-example', number: 42, boolean: true, null: null, array: [], object: {} };
function concrete(template: unknown, choice: number): unknown {
  const types = placeholderTypes(template);
  if (types) return EXAMPLES[types[Math.min(choice, types.length - 1)]!];
  if (Array.isArray(template)) return template.map((item) => concrete(item, choice));
  if (template !== null && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, concrete(value, choice)]));
  return template;
}
/** The placeholders that allow several types, as "order.id", with those types. */
function unions(template: unknown, path = ''): [string, string[]][] {
  if (Array.isArray(template)) return template.flatMap((item) => unions(item, `${path}[]`));
  if (template !== null && typeof template === 'object') return Object.entries(template).flatMap(([key, value]) => unions(value, path === '' ? key : `${path}.${key}`));
  const types = placeholderTypes(template) ?? [];
  return types.length > 1 ? [[path, types]] : [];
}

// The stand-in: records each request, answers with `answer`.
let server: Server;
let baseUrl: string;
let answer = { status: 200, body: '' };
const received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    res.writeHead(answer.status, answer.body === '' ? {} : { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/**
 * Drives jafflr's call for `interaction` against the stand-in answering `body`: where the request
 * it sent differs from the interaction's (method, path and query, the headers listed, the JSON
 * body exactly: chillybin refuses a field it does not know), and the outcome.
 */
async function check({ request, response }: Interaction, { call }: (typeof jafflr)[string], body: unknown) {
  received.length = 0;
  answer = { status: response.status, body: body === undefined ? '' : JSON.stringify(body) };
  const client = createChillybinClient({ baseUrl, serviceToken: undefined, timeoutMs: 10_000, maxConnections: 1 });
  try {
    const outcome = await outcomeOf(call(client));
    if (received.length !== 1) return { problems: [`expected one request, got ${received.length}`], outcome };
    const [sent] = received as [(typeof received)[number]];
    const url = new URL(sent.url, baseUrl);
    const wanted = new URL(request.path, baseUrl);
    const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), withRun(value, run)]));
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    const json = request.json === undefined ? undefined : JSON.parse(withRun(JSON.stringify(request.json), run));
    const problems = [
      ...differences({ method: request.method, path: wanted.pathname, query: Object.fromEntries(wanted.searchParams) }, { method: sent.method, path: url.pathname, query: Object.fromEntries(url.searchParams) }, 'request', { exact: true }),
      ...differences(headers, sent.headers, 'request.headers'),
      ...differences(json, sent.body === '' ? undefined : JSON.parse(sent.body), 'request.json', { exact: true }),
    ];
    return { problems, outcome };
  } finally {
    await client.close();
  }
}

const made = contract.interactions.filter((interaction) => !interaction.setup);

test("every interaction in the file is one jafflr's client makes, but the setup, which only the deploy's check sends", () => {
  expect(contract.interactions.filter((interaction) => interaction.setup).map(({ request }) => `${request.method} ${request.path}`)).toEqual(['POST /restock']);
  expect(made.map(({ description }) => description).sort()).toEqual(Object.keys(jafflr).sort());
});

const cases = made.flatMap((interaction) => {
  const several = unions(interaction.response.json);
  return Array.from({ length: Math.max(1, ...several.map(([, types]) => types.length)) }, (_, choice) => ({
    interaction,
    body: concrete(interaction.response.json, choice),
    description: interaction.description,
    answer: [`${interaction.response.status}`, ...several.map(([path, types]) => `${path} a ${types[Math.min(choice, types.length - 1)]}`)].join(', '),
  }));
});

test.each(cases)('$description: sent as written; answered $answer, read as jafflr expects', async ({ interaction, body }) => {
  const side = jafflr[interaction.description]!;
  expect(await check(interaction, side, body)).toEqual({ problems: [], outcome: side.outcome(body) });
});

// The check fails when the file and the client part: a copy of an interaction changed in one place.
describe('a copy of the file changed in one place no longer matches the client', () => {
  const order = made.find(({ description }) => description.startsWith('an order of cheese'))!;
  const more = made.find(({ description }) => description.startsWith('an order of more'))!;
  const edited = (interaction: Interaction, edit: (copy: Body) => void): Interaction => {
    const copy = structuredClone(interaction) as Body;
    edit(copy);
    return copy;
  };
  test.each([
    { change: 'the path', interaction: edited(order, (copy) => (copy.request.path = '/v3/pick')), problems: ['request.path: expected "/v3/pick", got "/v2/pick"'] },
    {
      change: 'a body field renamed',
      interaction: edited(order, (copy) => {
        copy.request.json.fingerprint = copy.request.json.requestFingerprint;
        delete copy.request.json.requestFingerprint;
      }),
      problems: ['request.json.fingerprint: expected "sha256:can-i-deploy-light", got nothing', 'request.json.requestFingerprint: not expected, got "sha256:can-i-deploy-light"'],
    },
    { change: 'a quantity', interaction: edited(order, (copy) => (copy.request.json.items[1].quantity = 3)), problems: ['request.json.items[1].quantity: expected 3, got 2'] },
    { change: 'the key unquoted', interaction: edited(order, (copy) => (copy.request.headers['idempotency-key'] = 'can-i-deploy-{run}')), problems: [`request.headers.idempotency-key: expected "can-i-deploy-${run}", got "\\"can-i-deploy-${run}\\""`] },
  ])('$change', async ({ interaction, problems }) => {
    const side = jafflr[order.description]!;
    const body = concrete(interaction.response.json, 0);
    expect(await check(interaction, side, body)).toEqual({ problems, outcome: side.outcome(body) });
  });

  test("an answer the client does not read as the file says (another error code for out of stock)", async () => {
    const interaction = edited(more, (copy) => (copy.response.json.error = 'sold_out'));
    const body = concrete(interaction.response.json, 0);
    const { problems, outcome } = await check(interaction, jafflr[more.description]!, body);
    expect(problems).toEqual([]);
    expect(outcome).toMatch(/^failed: .*the chillybin answered 409/);
    expect(outcome).not.toBe(jafflr[more.description]!.outcome(body));
  });
});
