import { ERROR_CODES, errorBody, isErrorCode, statusOf } from '../src';

describe('the error-code catalogue', () => {
  test('every code is snake_case and answered with a 4xx or 5xx, with a meaning', () => {
    for (const [code, { status, meaning }] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
      expect(status >= 400 && status <= 599).toBe(true);
      expect(meaning.length).toBeGreaterThan(10);
    }
  });

  test('a code has one status', () => {
    expect(statusOf('out_of_stock')).toBe(409);
    expect(statusOf('storage_full')).toBe(507);
  });

  test('asking the status of a code outside the catalogue is a bug, said plainly', () => {
    expect(() => statusOf('teapot' as never)).toThrow('"teapot" is not in the error-code catalogue (@toasties/contract)');
  });

  test('only catalogued codes are codes, and nothing an object inherits is', () => {
    expect(isErrorCode('no_cheese')).toBe(true);
    expect(isErrorCode('no_chese')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });

  test('a body has error and message first, then the details, in that order', () => {
    expect(JSON.stringify(errorBody('out_of_stock', 'not enough ham', { ingredient: 'ham' }))).toBe('{"error":"out_of_stock","message":"not enough ham","ingredient":"ham"}');
    expect(JSON.stringify(errorBody('not_found', 'no route'))).toBe('{"error":"not_found","message":"no route"}');
  });
});
