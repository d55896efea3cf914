import { stopAllProcesses } from '@toasties/testkit';
import { restock, startStack, stockOf, taken, type Stack } from './services';

// jafflr and chillybin as real processes, talking real HTTP, over a real SQLite file.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
beforeEach(() => restock(stack.chillybin));
afterAll(stopAllProcesses);

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('making a toastie', () => {
  test.each<[string, string, RequestInit, Record<string, number>]>([
    ['a cheese toastie (POST, query)', '/toastie?i=cheese', { method: 'POST' }, { cheese: 1, bread: 2 }],
    ['cheese and vegemite', '/toastie?i=cheese&i=vegemite&doneness=light&customer=gita', { method: 'POST' }, { cheese: 1, vegemite: 1, bread: 2 }],
    ['double cheese', '/toastie?i=cheese&i=cheese', { method: 'POST' }, { cheese: 2, bread: 2 }],
    ['a JSON body', '/toastie', json({ i: ['cheese', 'ham'], doneness: 'burnt' }), { cheese: 1, ham: 1, bread: 2 }],
    ['the deprecated GET', '/toastie?i=sheese&i=tomato', { method: 'GET' }, { sheese: 1, tomato: 1, bread: 2 }],
  ])('%s: 200, and exactly its ingredients plus two bread are taken', async (_case, path, init, expectedTaken) => {
    const before = await stockOf(stack.chillybin);
    const res = await fetch(`${stack.jafflr.url}${path}`, init);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ api: 'v1', toastie: { bread: 2 } });
    expect(taken(before, await stockOf(stack.chillybin))).toEqual(expectedTaken);
  });

  test.each<[string, string, RequestInit, number, string]>([
    ['no ingredients', '/toastie', { method: 'POST' }, 400, 'no_ingredients'],
    ['no cheese', '/toastie?i=ham&i=tomato', { method: 'POST' }, 400, 'no_cheese'],
    ['a bad doneness', '/toastie?i=cheese&doneness=raw', { method: 'POST' }, 400, 'invalid_doneness'],
    ['a smuggled parameter', '/toastie?i=cheese&i=vegemite%26quantity%3D-1000', { method: 'POST' }, 400, 'invalid_ingredient'],
    ['eleven ingredients', `/toastie?${'i=cheese&'.repeat(11)}`, { method: 'POST' }, 400, 'too_many_ingredients'],
    ['invalid JSON', '/toastie', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"i": [' }, 400, 'invalid_json'],
    ['a JSON array', '/toastie', json(['cheese']), 400, 'invalid_body'],
    ['a form body', '/toastie', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'i=cheese' }, 415, 'unsupported_media_type'],
    ['a body over 100 kB', '/toastie', json({ i: ['cheese'], padding: 'x'.repeat(110_000) }), 413, 'payload_too_large'],
    ['a wrong verb', '/toastie?i=cheese', { method: 'DELETE' }, 405, 'method_not_allowed'],
  ])('%s: %i %s, and nothing is taken', async (_case, path, init, status, code) => {
    const before = await stockOf(stack.chillybin);
    const res = await fetch(`${stack.jafflr.url}${path}`, init);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: code, message: expect.any(String) });
    expect(await stockOf(stack.chillybin)).toEqual(before);
  });

  test('when the cheese has run out: 409 out_of_stock naming it, and no bread is taken', async () => {
    await restock(stack.chillybin, { cheese: 0 });
    const before = await stockOf(stack.chillybin);
    const res = await fetch(`${stack.jafflr.url}/toastie?i=cheese`, { method: 'POST' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: 'out_of_stock', message: expect.stringContaining('cheese') });
    expect(await stockOf(stack.chillybin)).toEqual(before);
  });

  test('GET / counts the toasties made', async () => {
    const before = (await (await fetch(`${stack.jafflr.url}/`)).json()) as { made: number };
    await fetch(`${stack.jafflr.url}/toastie?i=cheese`, { method: 'POST' });
    expect(await (await fetch(`${stack.jafflr.url}/`)).json()).toEqual({ status: 'available', inProgress: 0, made: before.made + 1 });
  });

  test('jafflr is ready while the chillybin answers', async () => {
    const res = await fetch(`${stack.jafflr.url}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ checks: { chillybin: { ok: true } } });
  });
});
