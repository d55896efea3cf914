import { z } from 'zod';
import { ConfigError, loadConfig, serviceUrl, withoutUserinfo } from '../src/index';

describe('withoutUserinfo', () => {
  test.each<[string, string]>([
    ['http://admin:s3cret@chillybin:7001', 'http://***@chillybin:7001'],
    ['https://u:p@unleash.example/api', 'https://***@unleash.example/api'],
    ['http://token@host/api', 'http://***@host/api'],
    ['http://u:p%40ss@host/', 'http://***@host/'],
    ['request to http://u:p@127.0.0.1:1/api/client/features failed, reason: connect ECONNREFUSED', 'request to http://***@127.0.0.1:1/api/client/features failed, reason: connect ECONNREFUSED'],
    ['two: http://a:b@x and HTTPS://c:d@y', 'two: http://***@x and HTTPS://***@y'],
    ['http://chillybin:7001/pick?name=a@b', 'http://chillybin:7001/pick?name=a@b'],
    ['gita@example.com', 'gita@example.com'],
    ['no URL at all', 'no URL at all'],
  ])('%j → %j', (text, shown) => {
    expect(withoutUserinfo(text)).toBe(shown);
  });
});

describe('a URL with a user and password in the environment', () => {
  const schema = z.object({ CHILLYBIN_URL: serviceUrl().optional(), OTHER_URL: z.url().max(10).optional() });
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(schema, env);
      return [];
    } catch (error) {
      return [...(error as ConfigError).problems];
    }
  };

  test('a service URL with credentials is refused with one line that does not show them', () => {
    const problems = problemsOf({ CHILLYBIN_URL: 'http://admin:s3cret@127.0.0.1:7001' });
    expect(problems).toEqual(['CHILLYBIN_URL: must not carry a user or password (user:password@): it would be shown wherever the URL is; use SERVICE_TOKEN (got "http://***@127.0.0.1:7001")']);
  });

  test('any variable whose bad value holds a URL with credentials is shown without them', () => {
    const problems = problemsOf({ OTHER_URL: 'http://admin:s3cret@somewhere.example/long' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('http://***@somewhere.example/long');
    expect(problems.join()).not.toContain('s3cret');
  });

  test('a service URL without credentials is taken as it is', () => {
    expect(loadConfig(schema, { CHILLYBIN_URL: 'http://127.0.0.1:7001' }).CHILLYBIN_URL).toBe('http://127.0.0.1:7001');
  });
});
