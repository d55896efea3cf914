import { join } from 'node:path';
import { repoRoot } from './support/run';

// The decision behind `npm run deploy -- --canary-auto`, on Prometheus text as /metrics gives it.
const { countsByVersion, verdict } = require(join(repoRoot, 'scripts', 'lib', 'canary-verdict.js')) as {
  countsByVersion(text: string): Record<string, { total: number; errors: number }>;
  verdict(before: object, after: object, canary: string): { decision: string };
};

function exposition(counts: Record<string, [ok: number, failed: number]>): string {
  return Object.entries(counts)
    .flatMap(([version, [ok, failed]]) => [
      `http_requests_total{method="POST",route="/toastie",status_code="200",version="${version}"} ${ok}`,
      `http_requests_total{method="POST",route="/toastie",status_code="503",version="${version}"} ${failed}`,
      `http_requests_total{method="POST",route="/toastie",status_code="409",version="${version}"} 7`,
    ])
    .join('\n');
}

describe('canary verdict', () => {
  test('counts requests and server errors per version (a 409 is not a server error)', () => {
    expect(countsByVersion(exposition({ old: [100, 2], new: [10, 0] }))).toEqual({ old: { total: 109, errors: 2 }, new: { total: 17, errors: 0 } });
  });

  const before = countsByVersion(exposition({ old: [1000, 10], new: [0, 0] }));
  test.each<[string, Record<string, [number, number]>, string]>([
    ['as good as the rest', { old: [1100, 11], new: [100, 1] }, 'promote'],
    ['failing more often than the rest', { old: [1100, 11], new: [80, 20] }, 'abort'],
    ['with too little traffic to tell', { old: [1100, 11], new: [5, 0] }, 'inconclusive'],
  ])('a canary %s: %s', (_case, after, decision) => {
    expect(verdict(before, countsByVersion(exposition(after)), 'new').decision).toBe(decision);
  });
});
