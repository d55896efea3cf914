import request from 'supertest';
import { isErrorCode, OutOfStock, statusOf } from '@toasties/contract';
import { ChillybinTimeout, ChillybinOutcomeUnknown, ChillybinUnavailable, type ChillybinClient } from '../src/chillybin-client';
import { buildJafflr } from './build';

/**
 * Every error jafflr answers, to the byte: the answers are made in one place (domain errors,
 * one catalogue at the edge), and a change there must not reach a client unnoticed.
 */
function appWhoseChillybin(fails: () => Error) {
  const chillybin: ChillybinClient = {
    pick: async () => {
      throw fails();
    },
    pickOrder: async () => {
      throw fails();
    },
    health: async () => undefined,
    close: async () => undefined,
  };
  return buildJafflr(chillybin).app;
}

// Every JSON answer ends with a newline (so a curl prompt starts on its own line).
const json = (body: object) => `${JSON.stringify(body)}\n`;

/** The code is in the catalogue, answered with its status. */
function expectCatalogued(res: request.Response): void {
  const { error } = JSON.parse(res.text) as { error: unknown };
  expect(isErrorCode(error)).toBe(true);
  expect(res.status).toBe(statusOf(error as never));
}

describe('jafflr error answers are byte-identical', () => {
  test.each<[string, () => Error, number, string, string | undefined]>([
    ['out of stock', () => new OutOfStock('ham'), 409, json({ error: 'out_of_stock', message: 'sorry, we are out of ham' }), undefined],
    ['chillybin too slow', () => new ChillybinTimeout('the chillybin did not answer POST /pick within 2000 ms'), 504, json({ error: 'chillybin_timeout', message: 'the chillybin did not answer POST /pick within 2000 ms' }), undefined],
    ['chillybin unavailable, with its Retry-After', () => new ChillybinUnavailable('the chillybin answered 429 to a pick of ham', 7), 503, json({ error: 'chillybin_unavailable', message: 'the chillybin answered 429 to a pick of ham' }), '7'],
    ['it could not tell whether a pick happened', () => new ChillybinOutcomeUnknown('the chillybin could not tell whether a pick of ham happened'), 503, json({ error: 'outcome_unknown', message: 'the chillybin could not tell whether a pick of ham happened: the toastie was not made, and its ingredients may have been taken' }), undefined],
    ['chillybin unavailable, saying nothing', () => new ChillybinUnavailable('the chillybin could not be reached (ECONNREFUSED)'), 503, json({ error: 'chillybin_unavailable', message: 'the chillybin could not be reached (ECONNREFUSED)' }), '1'],
  ])('when the chillybin says %s', async (_case, fails, status, body, retryAfter) => {
    const res = await request(appWhoseChillybin(fails)).post('/toastie?i=cheese&i=ham');
    expect([res.status, res.text, res.headers['retry-after']]).toEqual([status, body, retryAfter]);
    expectCatalogued(res);
  });

  const app = appWhoseChillybin(() => new Error('never asked'));
  test.each<[string, string, string]>([
    ['no ingredients', '/toastie', json({ error: 'no_ingredients', message: 'a toastie needs at least one ingredient, e.g. ?i=cheese' })],
    ['no cheese', '/toastie?i=ham', json({ error: 'no_cheese', message: 'a toastie without cheese is just hot bread: add i=cheese' })],
    ['too many', `/toastie?${'i=cheese&'.repeat(11)}`, json({ error: 'too_many_ingredients', message: 'at most 10 ingredients fit in a toastie' })],
    ['a bad name', '/toastie?i=Cheese', json({ error: 'invalid_ingredient', message: 'an ingredient name is 1-32 lower-case letters or hyphens, starting with a letter' })],
    ['a bad doneness', '/toastie?i=cheese&doneness=raw', json({ error: 'invalid_doneness', message: 'doneness is one of light, medium, well-done, burnt' })],
    ['doneness twice', '/toastie?i=cheese&doneness=light&doneness=burnt', json({ error: 'invalid_doneness', message: 'give "doneness" once, as a string' })],
    ['a bad customer', '/toastie?i=cheese&customer=%20gita', json({ error: 'invalid_customer', message: 'a customer is 1-64 letters, digits, dots, underscores, @ or hyphens' })],
    ['i and ingredients', '/toastie?i=cheese&ingredients=cheese', json({ error: 'invalid_ingredients', message: 'give the ingredients as "i" or as "ingredients", not both' })],
  ])('an invalid toastie: %s', async (_case, path, body) => {
    const res = await request(app).post(path);
    expect([res.status, res.text]).toEqual([400, body]);
    expectCatalogued(res);
  });

  test.each<[string, () => request.Test, string]>([
    ['a body that is not an object', () => request(app).post('/toastie').send([1]), json({ error: 'invalid_body', message: 'the body must be a JSON object, e.g. {"i": ["cheese"]}' })],
    ['a query string and a body', () => request(app).post('/toastie?i=cheese').send({ i: ['cheese'] }), json({ error: 'query_and_body', message: 'give the toastie in the query string or in the JSON body, not both' })],
  ])('%s', async (_case, send, body) => {
    const res = await send();
    expect([res.status, res.text]).toEqual([400, body]);
    expectCatalogued(res);
  });
});
