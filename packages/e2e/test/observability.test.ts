import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopAllProcesses } from '@toasties/testkit';
import { restock, startStack, type Stack } from './services';

// Both services with two workers each: /metrics, answered by whichever worker, must
// cover both (the primary aggregates), and a request id must cross from jafflr to chillybin.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ WORKERS: '2', VERSION: 'jafflr-v7' }, { WORKERS: '2', VERSION: 'chillybin-v3' });
  await restock(stack.chillybin, { bread: 100 });
});
afterAll(stopAllProcesses);

const metricsOf = async (url: string) => (await fetch(`${url}/metrics`)).text();
const valueOf = (text: string, series: string) => Number(text.split('\n').find((line) => line.startsWith(`${series} `))?.split(' ')[1] ?? NaN);

describe('metrics and logs', () => {
  test('after toasties, both services count requests by route template and version, over all workers', async () => {
    const toasties = 6;
    for (let i = 0; i < toasties; i++) expect((await fetch(`${stack.jafflr.url}/toastie?i=cheese&doneness=light`, { method: 'POST' })).status).toBe(200);

    const jafflr = await metricsOf(stack.jafflr.url);
    expect(valueOf(jafflr, 'http_requests_total{method="POST",route="/toastie",status_code="200",version="jafflr-v7"}')).toBe(toasties);
    expect(jafflr).toMatch(/http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="\/toastie",status_code="200",version="jafflr-v7"\} 6/);
    expect(valueOf(jafflr, 'jafflr_toasties_total{doneness="light",result="made"}')).toBe(toasties);
    expect(jafflr).toMatch(/jafflr_chillybin_request_duration_seconds_count\{operation="pick",outcome="200"\} 12/);

    const chillybin = await metricsOf(stack.chillybin.url);
    expect(valueOf(chillybin, 'http_requests_total{method="POST",route="/pick",status_code="200",version="chillybin-v3"}')).toBe(2 * toasties);
    expect(valueOf(chillybin, 'chillybin_picks_total{api="v1",result="picked"}')).toBe(2 * toasties);
    // A level read from the shared database, kept once, not summed over the two workers.
    expect(valueOf(chillybin, 'chillybin_stock_level{ingredient="cheese"}')).toBe(10 - toasties);
    expect(chillybin).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  test('every metric the alerts and the dashboard use is one the services expose', async () => {
    const docker = join(__dirname, '..', '..', '..', 'docker');
    const used = ['prometheus/alerts.yml', 'grafana/dashboards/toasties.json']
      .map((file) => readFileSync(join(docker, file), 'utf8'))
      .join('\n')
      .match(/\b(?:http|jafflr|chillybin)_[a-z_]+|\bup_ready\b/g);
    const exposed = (await metricsOf(stack.jafflr.url)) + (await metricsOf(stack.chillybin.url));
    const missing = [...new Set(used)].filter((name) => !new RegExp(`^${name}[{ ]`, 'm').test(exposed));
    expect(used?.length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });

  test('a request id given to jafflr is logged by both services', async () => {
    const res = await fetch(`${stack.jafflr.url}/toastie?i=cheese&customer=gita`, { method: 'POST', headers: { 'X-Request-Id': 'trace-e2e-42' } });
    expect(res.headers.get('x-request-id')).toBe('trace-e2e-42');
    await stack.chillybin.waitForLine(/"id":"trace-e2e-42"/);
    await stack.jafflr.waitForLine(/"id":"trace-e2e-42"/);
    expect(stack.jafflr.output()).not.toMatch(/gita/); // no customer names in the logs
  });
});
