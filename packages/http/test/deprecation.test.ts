import request from 'supertest';
import { createJsonApp, deprecated, deprecationHeaders, HttpError } from '../src';

const options = { deprecatedAt: new Date('2026-11-22T00:00:00Z'), sunsetAt: new Date('2027-05-22T00:00:00Z'), successor: '/v2/pick' };

const app = createJsonApp((app) => {
  app.get('/old', deprecated(options), (_req, res) => {
    res.type('text/plain').send('ok');
  });
  app.get('/old-and-failing', deprecated(options), () => {
    throw new HttpError('invalid_body', 'bad input');
  });
});

describe('deprecated()', () => {
  test.each([
    ['a success', '/old', 200],
    ['an error', '/old-and-failing', 400],
  ])('%s carries Deprecation (RFC 9745), Sunset (RFC 8594) and the successor Link', async (_case, path, status) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(status);
    expect(res.headers.deprecation).toBe('@1795305600');
    expect(res.headers.sunset).toBe('Sat, 22 May 2027 00:00:00 GMT');
    expect(res.headers.link).toBe('</v2/pick>; rel="successor-version"');
  });

  test('refuses a sunset before the deprecation', () => {
    expect(() => deprecationHeaders({ ...options, sunsetAt: new Date('2026-01-01T00:00:00Z') })).toThrow(RangeError);
  });
});
