import express from 'express';
import request from 'supertest';
import { createMetrics } from '../src';

function appWithMetrics(version = 'abc123') {
  const metrics = createMetrics({ version, defaultMetrics: false });
  const app = express();
  app.use(metrics.httpMetrics);
  app.get('/metrics', metrics.endpoint);
  app.get('/orders/:id', (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/fail', (_req, res) => {
    res.status(409).json({ error: 'x' });
  });
  return app;
}

describe('HTTP metrics', () => {
  test('count each request by method, route template, status code and version', async () => {
    const app = appWithMetrics();
    await request(app).get('/orders/1');
    await request(app).get('/orders/2');
    await request(app).post('/fail');
    const text = (await request(app).get('/metrics')).text;
    expect(text).toContain('http_requests_total{method="GET",route="/orders/:id",status_code="200",version="abc123"} 2');
    expect(text).toContain('http_requests_total{method="POST",route="/fail",status_code="409",version="abc123"} 1');
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/orders\/:id",status_code="200",version="abc123"\} \d/);
  });

  test('a URL that matched no route is one series, "unmatched", not one per URL', async () => {
    const app = appWithMetrics();
    await request(app).get('/random/1');
    await request(app).get('/random/2');
    const text = (await request(app).get('/metrics')).text;
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status_code="404",version="abc123"} 2');
    expect(text).not.toContain('/random');
  });

  test('two apps in one process keep separate registries', async () => {
    const first = appWithMetrics('one');
    const second = appWithMetrics('two');
    await request(first).get('/orders/1');
    expect((await request(second).get('/metrics')).text).not.toContain('version="one"');
  });

  test.each([
    [true, 1],
    [false, 0],
  ])('up_ready follows readiness (%p → %i), asked at scrape time', async (ready, value) => {
    const metrics = createMetrics({ version: 'v', defaultMetrics: false });
    metrics.trackReadiness(async () => ready);
    expect(await metrics.registry.metrics()).toMatch(new RegExp(`^up_ready ${value}$`, 'm'));
  });

  test('/metrics answers in the Prometheus text format', async () => {
    const res = await request(appWithMetrics()).get('/metrics');
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
  });
});
