import { request } from 'node:http';
import { startService, stopAllProcesses, type RunningService } from '@toasties/testkit';
import { jafflrMain, startStack, stockOf, taken, type Stack } from './services';

// RATE_LIMIT_PER_MINUTE on real processes, two workers each: a limit holds
// across workers, jafflr (presenting SERVICE_TOKEN) is a service rather than one greedy
// client of the chillybin, no toastie is left half-picked, and every Retry-After tells the
// truth about a 60-second window.
const SERVICE_TOKEN = 'service-token-for-the-rate-limit-test';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack(
    { WORKERS: '2', RATE_LIMIT_PER_MINUTE: '3', SERVICE_TOKEN },
    { WORKERS: '2', RATE_LIMIT_PER_MINUTE: '5', SERVICE_TOKEN },
  );
});
afterAll(stopAllProcesses);

interface Answer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly body: string;
}

/** One request on a connection of its own (agent: false), so the cluster hands each to the next worker. */
function send(method: string, url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }));
    });
    req.on('error', reject).end();
  });
}

async function inTurn(count: number, make: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < count; i++) answers.push(await make());
  return answers;
}

/** A window of 60 s: a client refused now waits more than a second, and never more than the window. */
function expectTruthfulRetryAfter(answer: Answer): void {
  expect(answer.retryAfter).toMatch(/^[0-9]+$/);
  expect(Number(answer.retryAfter)).toBeGreaterThan(1);
  expect(Number(answer.retryAfter)).toBeLessThanOrEqual(60);
}

describe('RATE_LIMIT_PER_MINUTE with WORKERS=2', () => {
  test('jafflr (limit 3): three whole toasties, then 429 with a truthful Retry-After; the chillybin (limit 5) never stops one half-way', async () => {
    const before = await stockOf(stack.chillybin);
    // Each cheese-and-ham toastie is three v1 picks: nine in all, past the chillybin's 5.
    const answers = await inTurn(5, () => send('POST', `${stack.jafflr.url}/toastie?i=cheese&i=ham`));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429, 429]);
    for (const refused of answers.slice(3)) {
      expect(JSON.parse(refused.body)).toEqual({ error: 'rate_limited', message: expect.any(String) });
      expectTruthfulRetryAfter(refused);
    }
    expect(taken(before, await stockOf(stack.chillybin))).toEqual({ cheese: 3, ham: 3, bread: 6 });
  });

  test('direct clients of the chillybin (limit 5): five picks across both workers, then 429 with a truthful Retry-After and nothing taken', async () => {
    const before = await stockOf(stack.chillybin);
    const answers = await inTurn(8, () => send('POST', `${stack.chillybin.url}/pick?name=tomato&quantity=1`));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    for (const refused of answers.slice(5)) expectTruthfulRetryAfter(refused);
    expect(taken(before, await stockOf(stack.chillybin))).toEqual({ tomato: 5 });
  });

  test('a jafflr without the SERVICE_TOKEN is limited like any client: its 503 carries the chillybin\'s Retry-After, not 1, and takes nothing', async () => {
    // The direct picks above used up 127.0.0.1's budget at the chillybin.
    const jafflr: RunningService = await startService(jafflrMain, { CHILLYBIN_URL: stack.chillybin.url, COOK_TIME_SCALE: '0', WORKERS: '0' });
    const before = await stockOf(stack.chillybin);
    const answer = await send('POST', `${jafflr.url}/toastie?i=cheese`);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ error: 'chillybin_unavailable', message: expect.stringContaining('429') });
    expectTruthfulRetryAfter(answer);
    expect(taken(before, await stockOf(stack.chillybin))).toEqual({});
    await jafflr.stop();
  });
});
