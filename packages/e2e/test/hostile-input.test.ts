import { rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname } from 'node:path';
import { freshDatabasePath, stopAllProcesses, type RunningService } from '@toasties/testkit';
import { startStack, stateOf } from './services';

// Hostile input against both services as real processes: every case is answered with a
// 4xx JSON error, nothing changes (stock, orders, toasties made), and both stay healthy.
const ADMIN_TOKEN = 'hostile-input-admin-token';
const json = { 'content-type': 'application/json' };
const toastie = (extra: object = {}) => JSON.stringify({ customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }], ...extra });
const item = (ingredient: unknown, quantity: unknown) => ({ ingredient, quantity });
const pick = (items: unknown[], customer: unknown = 'gita') => JSON.stringify({ customer, items });
const CYRILLIC_E = '%D0%B5'; // е, looks like e
const CYRILLIC_I = 'і'; // і, looks like i
/** `count` harmless parameters, to push the real ones past the query parser's limit. */
const junk = (count: number) => Array.from({ length: count }, (_, n) => `x${n}=1`).join('&');

interface Case {
  readonly service: 'chillybin' | 'jafflr';
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string | Buffer;
  readonly status: number;
}

const chillybin = (method: string, path: string, status: number, headers?: Case['headers'], body?: Case['body']): Case => ({ service: 'chillybin', method, path, status, headers, body });
const jafflr = (method: string, path: string, status: number, headers?: Case['headers'], body?: Case['body']): Case => ({ service: 'jafflr', method, path, status, headers, body });
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

const cases: [string, Case][] = [
  // chillybin v1 /pick: query strings
  ['no parameters', chillybin('POST', '/pick', 400)],
  ['no quantity', chillybin('POST', '/pick?name=cheese', 400)],
  ['a zero quantity', chillybin('POST', '/pick?name=cheese&quantity=0', 400)],
  ['a negative quantity', chillybin('POST', '/pick?name=cheese&quantity=-1', 400)],
  ['an exponent quantity', chillybin('POST', '/pick?name=cheese&quantity=1e3', 400)],
  ['a fractional quantity', chillybin('POST', '/pick?name=cheese&quantity=1.5', 400)],
  ['a hex quantity', chillybin('POST', '/pick?name=cheese&quantity=0x10', 400)],
  ['a quantity with a leading space', chillybin('POST', '/pick?name=cheese&quantity=%201', 400)],
  ['a fullwidth digit quantity', chillybin('POST', '/pick?name=cheese&quantity=%EF%BC%91', 400)],
  ['a 20-digit quantity', chillybin('POST', '/pick?name=cheese&quantity=99999999999999999999', 400)],
  ['a quantity over the maximum', chillybin('POST', '/pick?name=cheese&quantity=1001', 400)],
  ['the name twice', chillybin('POST', '/pick?name=cheese&name=ham&quantity=1', 400)],
  ['the quantity twice', chillybin('GET', '/pick?name=cheese&quantity=1&quantity=1', 400)],
  ['a bracketed name (no qs arrays)', chillybin('POST', '/pick?name[]=cheese&quantity=1', 400)],
  ['an upper-case name', chillybin('POST', '/pick?name=Cheese&quantity=1', 400)],
  ['a Cyrillic look-alike name', chillybin('POST', `/pick?name=ch${CYRILLIC_E}ese&quantity=1`, 400)],
  ['a fullwidth look-alike name', chillybin('POST', '/pick?name=%EF%BD%83heese&quantity=1', 400)],
  ['a name with a NUL byte', chillybin('POST', '/pick?name=cheese%00&quantity=1', 400)],
  ['an SQL-injection name', chillybin('POST', `/pick?name=${encodeURIComponent("cheese' OR 1=1; DROP TABLE ingredients;--")}&quantity=1`, 400)],
  ['a 5,000-character name', chillybin('POST', `/pick?name=${'a'.repeat(5000)}&quantity=1`, 400)],
  ['malformed percent-encoding', chillybin('POST', '/pick?name=%E0%A4%A&quantity=1', 400)],
  ['an ingredient it never held', chillybin('POST', '/pick?name=caviar&quantity=1', 410)],
  ['a verb it does not take', chillybin('DELETE', '/pick?name=cheese&quantity=1', 405)],
  ['a misspelt extra parameter', chillybin('POST', '/pick?name=cheese&quantity=1&quantitty=5', 400)],
  // More parameters than the parser keeps: refused, never cut short (the duplicate lies past the cut)
  ['1,001 parameters', chillybin('POST', `/pick?name=cheese&quantity=1&${junk(999)}`, 400)],
  ['a duplicate hidden past parameter 1,000', chillybin('POST', `/pick?name=cheese&quantity=1&${junk(998)}&quantity=1000`, 400)],
  // chillybin /v2/pick: bodies, content types, encodings, headers
  ['invalid JSON', chillybin('POST', '/v2/pick', 400, json, '{"customer": "gita",')],
  ['JSON sent as text/plain', chillybin('POST', '/v2/pick', 415, { 'content-type': 'text/plain' }, toastie())],
  ['a form-encoded body', chillybin('POST', '/v2/pick', 415, { 'content-type': 'application/x-www-form-urlencoded' }, 'customer=gita&items=cheese')],
  ['a JSON array', chillybin('POST', '/v2/pick', 400, json, '[]')],
  ['JSON null', chillybin('POST', '/v2/pick', 400, json, 'null')],
  ['a JSON string', chillybin('POST', '/v2/pick', 400, json, '"gita"')],
  ['no items', chillybin('POST', '/v2/pick', 400, json, pick([]))],
  ['a string quantity', chillybin('POST', '/v2/pick', 400, json, pick([item('cheese', '1')]))],
  ['an infinite quantity', chillybin('POST', '/v2/pick', 400, json, '{"customer":"gita","items":[{"ingredient":"cheese","quantity":1e999}]}')],
  ['the same ingredient twice', chillybin('POST', '/v2/pick', 400, json, pick([item('cheese', 1), item('cheese', 1)]))],
  ['a misspelt field', chillybin('POST', '/v2/pick', 400, json, pick([{ ingredient: 'cheese', quantitiy: 1 }]))],
  ['a __proto__ field', chillybin('POST', '/v2/pick', 400, json, '{"customer":"gita","items":[{"ingredient":"cheese","quantity":1}],"__proto__":{"admin":true}}')],
  ['a duplicate JSON key whose last value is bad', chillybin('POST', '/v2/pick', 400, json, '{"customer":"gita","customer":"gita; rm -rf","items":[{"ingredient":"cheese","quantity":1}]}')],
  ['a Cyrillic look-alike customer', chillybin('POST', '/v2/pick', 400, json, pick([item('cheese', 1)], `g${CYRILLIC_I}ta`))],
  ['a 65-character customer', chillybin('POST', '/v2/pick', 400, json, pick([item('cheese', 1)], 'g'.repeat(65)))],
  ['21 items', chillybin('POST', '/v2/pick', 400, json, pick(Array.from({ length: 21 }, (_, i) => item(`x-${String.fromCharCode(97 + i)}`, 1))))],
  ['an ingredient it never held', chillybin('POST', '/v2/pick', 400, json, pick([item('cheese', 1), item('caviar', 1)]))],
  ['JSON nested 5,000 deep', chillybin('POST', '/v2/pick', 400, json, `{"customer":"gita","items":${'['.repeat(5000)}${']'.repeat(5000)}}`)],
  ['a body over the 100 kB limit', chillybin('POST', '/v2/pick', 413, json, toastie({ padding: 'x'.repeat(200_000) }))],
  ['an unsupported Content-Encoding', chillybin('POST', '/v2/pick', 415, { ...json, 'content-encoding': 'compress' }, toastie())],
  ['gzip that is not gzip', chillybin('POST', '/v2/pick', 400, { ...json, 'content-encoding': 'gzip' }, toastie())],
  ['a Latin-1 charset', chillybin('POST', '/v2/pick', 415, { 'content-type': 'application/json; charset=iso-8859-1' }, toastie())],
  ['a UTF-16 charset on UTF-8 bytes', chillybin('POST', '/v2/pick', 415, { 'content-type': 'application/json; charset=utf-16' }, toastie())],
  // JSON is UTF-8 (RFC 8259): any other charset is refused before a decoder sees the bytes
  ['a UTF-7 charset', chillybin('POST', '/v2/pick', 415, { 'content-type': 'application/json; charset=utf-7' }, '{"customer":"gita","items":[{"ingredient":"tomato","quantity":1}]}')],
  ['a UTF-7 charset that spells a pick', chillybin('POST', '/v2/pick', 415, { 'content-type': 'application/json; charset=utf-7' }, '+AHsAIg-customer+ACIAOgAi-gita+ACIALAAi-items+ACIAOgBbAHsAIg-ingredient+ACIAOgAi-tomato+ACIALAAi-quantity+ACIAOg-1+AH0AXQB9-')],
  ['a UTF-32 charset', chillybin('POST', '/v2/pick', 415, { 'content-type': 'application/json; charset=utf-32' }, toastie())],
  ['a charset with no name', jafflr('POST', '/toastie', 415, { 'content-type': 'application/json; charset=""' }, '{"i":["cheese"]}')],
  ['a Latin-1 charset', jafflr('POST', '/toastie', 415, { 'content-type': 'application/json; charset=latin1' }, '{"i":["cheese"]}')],
  ['a Latin-1 restock', chillybin('POST', '/restock', 415, { 'content-type': 'application/json; charset=iso-8859-1', ...admin }, '{"cheese": 1000}')],
  ['an Idempotency-Key with a space', chillybin('POST', '/v2/pick', 400, { ...json, 'idempotency-key': 'two words' }, toastie())],
  ['a 300-character Idempotency-Key', chillybin('POST', '/v2/pick', 400, { ...json, 'idempotency-key': 'k'.repeat(300) }, toastie())],
  ['a verb it does not take', chillybin('GET', '/v2/pick', 405)],
  ['a query string beside the body', chillybin('POST', '/v2/pick?customer=gwyn', 400, json, toastie())],
  ['an order id that is not a number', chillybin('GET', '/v2/orders/abc', 404)],
  ['order id 0', chillybin('GET', '/v2/orders/0', 404)],
  ['a 20-digit order id', chillybin('GET', '/v2/orders/99999999999999999999', 404)],
  // chillybin POST /restock: access
  ['a restock with no token', chillybin('POST', '/restock', 401, json, '{"cheese": 1000}')],
  ['a restock with a wrong token', chillybin('POST', '/restock', 401, { ...json, authorization: 'Bearer not-the-admin-token' }, '{"cheese": 1000}')],
  ['a restock with the token twice in one header', chillybin('POST', '/restock', 401, { ...json, authorization: `Bearer ${ADMIN_TOKEN}, Bearer ${ADMIN_TOKEN}` }, '{"cheese": 1000}')],
  ['a restock with a negative amount', chillybin('POST', '/restock', 400, { ...json, ...admin }, '{"cheese": -1}')],
  ['a restock of ten million', chillybin('POST', '/restock', 400, { ...json, ...admin }, '{"cheese": 10000000}')],
  ['a form-encoded restock', chillybin('POST', '/restock', 415, { 'content-type': 'application/x-www-form-urlencoded', ...admin }, 'cheese=1000')],
  ['a restock with its amounts in the query string', chillybin('POST', '/restock?cheese=1000', 400, admin)],
  // jafflr /toastie
  ['no ingredients', jafflr('POST', '/toastie', 400)],
  ['no cheese', jafflr('POST', '/toastie?i=ham', 400)],
  ['a doneness it does not know', jafflr('POST', '/toastie?i=cheese&doneness=raw', 400)],
  ['the doneness twice', jafflr('POST', '/toastie?i=cheese&doneness=light&doneness=burnt', 400)],
  ['an upper-case ingredient', jafflr('POST', '/toastie?i=Cheese', 400)],
  ['a Cyrillic look-alike ingredient', jafflr('POST', `/toastie?i=ch${CYRILLIC_E}ese`, 400)],
  ['a Cyrillic look-alike customer', jafflr('POST', `/toastie?i=cheese&customer=g${encodeURIComponent(CYRILLIC_I)}ta`, 400)],
  ['11 ingredients', jafflr('POST', `/toastie?${'i=cheese&'.repeat(11)}`, 400)],
  ['a 5,000-character customer', jafflr('POST', `/toastie?i=cheese&customer=${'g'.repeat(5000)}`, 400)],
  ['both i and ingredients', jafflr('POST', '/toastie', 400, json, '{"i":["cheese"],"ingredients":["cheese"]}')],
  ['a number as the ingredients', jafflr('POST', '/toastie', 400, json, '{"i": 42}')],
  ['a JSON array', jafflr('POST', '/toastie', 400, json, '["cheese"]')],
  ['invalid JSON', jafflr('POST', '/toastie', 400, json, '{"i": [')],
  ['JSON sent as text/plain', jafflr('POST', '/toastie', 415, { 'content-type': 'text/plain' }, '{"i": ["cheese"]}')],
  ['a body over the 100 kB limit', jafflr('POST', '/toastie', 413, json, JSON.stringify({ i: ['cheese'], padding: 'x'.repeat(200_000) }))],
  ['a verb it does not take', jafflr('PUT', '/toastie?i=cheese', 405)],
  // Unknown fields are refused, never ignored: a typo must not quietly mean the default
  ['a misspelt field in the body', jafflr('POST', '/toastie', 400, json, '{"i":["cheese"],"donenes":"burnt"}')],
  ['a misspelt parameter', jafflr('POST', '/toastie?i=cheese&donenes=burnt', 400)],
  ['a __proto__ field in the body', jafflr('POST', '/toastie', 400, json, '{"i":["cheese"],"__proto__":{"doneness":"burnt"}}')],
  ['a query string beside the body', jafflr('POST', '/toastie?doneness=burnt', 400, json, '{"i":["cheese"]}')],
  ['1,001 parameters', jafflr('POST', `/toastie?i=cheese&${junk(1000)}`, 400)],
  ['a doneness hidden past parameter 1,000', jafflr('GET', `/toastie?i=cheese&${junk(999)}&doneness=burnt`, 400)],
  // Only the documented verbs reach a handler: HEAD runs no GET that changes state, OPTIONS is not answered by the router
  ['HEAD on the deprecated GET /pick', chillybin('HEAD', '/pick?name=tomato&quantity=3', 405)],
  ['HEAD on the deprecated GET /toastie', jafflr('HEAD', '/toastie?i=cheese', 405)],
  ['HEAD on /v2/pick', chillybin('HEAD', '/v2/pick', 405)],
  ['HEAD on /restock', chillybin('HEAD', '/restock', 405, admin)],
  ['OPTIONS on /pick', chillybin('OPTIONS', '/pick?name=tomato&quantity=3', 405)],
  ['OPTIONS on the stock levels', chillybin('OPTIONS', '/', 405)],
  ['OPTIONS on the machine status', jafflr('OPTIONS', '/', 405)],
  ['PROPFIND on /toastie', jafflr('PROPFIND', '/toastie?i=cheese', 405)],
  ['PATCH on /v2/pick', chillybin('PATCH', '/v2/pick', 405, json, toastie())],
  ['PUT on /restock', chillybin('PUT', '/restock', 405, { ...json, ...admin }, '{"cheese": 1000}')],
  ['a verb on a path with no route', chillybin('OPTIONS', '/nowhere', 404)],
  ['a v2 toastie with an ingredient chillybin never held', jafflr('POST', '/toastie?i=caviar&i=cheese&customer=gita', 409)],
];

/** node:http rather than fetch: it sends duplicate parameters, odd headers and raw bodies as they are. */
function send(service: RunningService, { method, path, headers = {}, body }: Case): Promise<{ status: number; contentType: string; allow: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${service.url}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), allow: res.headers.allow, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let stack: Awaited<ReturnType<typeof startStack>>;
let DATABASE_PATH: string;

const state = () => stateOf(stack, DATABASE_PATH);

beforeAll(async () => {
  DATABASE_PATH = freshDatabasePath('hostile');
  stack = await startStack({ FLAG_PICK_V2: 'gita' }, { ADMIN_TOKEN, DATABASE_PATH });
});
afterAll(async () => {
  await stopAllProcesses();
  rmSync(dirname(DATABASE_PATH), { recursive: true, force: true });
});

describe(`hostile input: ${cases.length} cases across both services`, () => {
  test.each(cases)('%s: 4xx JSON, nothing changed, still healthy', async (_name, hostile) => {
    const before = await state();
    const res = await send(stack[hostile.service], hostile);
    expect(res.status).toBe(hostile.status);
    expect(res.contentType).toMatch(/^application\/json/);
    if (hostile.method === 'HEAD') expect(res.text).toBe(''); // HTTP gives HEAD no body
    else expect(JSON.parse(res.text)).toEqual(expect.objectContaining({ error: expect.any(String), message: expect.any(String) }));
    if (res.status === 405) expect(res.allow).toMatch(/^(GET|HEAD|POST)(, (GET|HEAD|POST))*$/);
    expect(res.text).not.toMatch(/\s+at \S+ \(/); // no stack trace
    expect(await state()).toEqual(before);
    for (const service of [stack.chillybin, stack.jafflr]) expect((await fetch(`${service.url}/health`)).status).toBe(200);
  });

  test('the table is at least 40 cases (the figure quoted in docs/reliability.md)', () => {
    console.log(`hostile input: ${cases.length} cases tried (${cases.filter(([, c]) => c.service === 'chillybin').length} chillybin, ${cases.filter(([, c]) => c.service === 'jafflr').length} jafflr)`);
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });
});
