import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabasePath, startService, stopAllProcesses, waitFor, type RunningService } from '@toasties/testkit';

// Each scenario runs the real fixture server in its own process and sends it a real signal.
const fixture = join(__dirname, 'fixtures', 'slow-server.js');

async function startSlowRequest(server: RunningService, ms: number) {
  const before = server.output().split('request started').length;
  const response = fetch(`${server.url}/slow?ms=${ms}`).then(async (res) => ({ status: res.status, body: await res.text() }));
  response.catch(() => undefined); // a failure is asserted by the test that expects it
  await waitFor(() => server.output().split('request started').length > before, { what: 'the request to be in flight' });
  return { response }; // wrapped, so that awaiting this helper does not await the response too
}

afterAll(stopAllProcesses);

describe('a primary on SIGTERM', () => {
  test('runs afterWorkers once every worker has exited, then exits 0', async () => {
    const versionFile = freshDatabasePath('release').replace(/test\.db$/, 'VERSION');
    writeFileSync(versionFile, 'one');
    const server = await startService(join(__dirname, 'fixtures', 'cluster-server.js'), { VERSION_FILE: versionFile });
    await waitFor(() => server.output().split('"msg":"worker ready"').length === 3, { what: 'both workers ready' });

    await expect(server.stop('SIGTERM')).resolves.toEqual({ code: 0, signal: null });

    const lines = server.output().trim().split('\n').map((line) => JSON.parse(line) as { pid: number; msg: string });
    const primary = lines.find((line) => line.msg === 'primary started')!.pid;
    const after = lines.findIndex((line) => line.msg === 'after workers');
    expect(lines[after]).toMatchObject({ pid: primary, workersLeft: 0 });
    expect(lines.slice(after + 1)).toEqual([expect.objectContaining({ pid: primary, msg: 'shutdown complete' })]);
  });
});

describe('serve() on a signal', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)('on %s, an in-flight request completes, cleanups run, and the exit code is 0', async (signal) => {
    const server = await startService(fixture, { SHUTDOWN_TIMEOUT_MS: '20000' });
    const { response } = await startSlowRequest(server, 500);

    const exit = server.stop(signal);

    await expect(response).resolves.toEqual({ status: 200, body: 'slept 500' });
    await expect(exit).resolves.toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/cleanup ran/);
  });

  test('once draining has begun, new connections are refused', async () => {
    const server = await startService(fixture, { SHUTDOWN_TIMEOUT_MS: '20000' });
    const { response } = await startSlowRequest(server, 800);
    server.child.kill('SIGTERM');
    await server.waitForLine(/draining in-flight requests/);

    await expect(fetch(`${server.url}/slow?ms=0`)).rejects.toThrow();
    await expect(response).resolves.toMatchObject({ status: 200 });
    await expect(server.waitForExit()).resolves.toEqual({ code: 0, signal: null });
  });

  test('during the shutdown delay, readiness fails but requests are still served', async () => {
    const server = await startService(fixture, { SHUTDOWN_DELAY_MS: '8000', SHUTDOWN_TIMEOUT_MS: '20000' });
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    server.child.kill('SIGTERM');
    await server.waitForLine(/readiness now fails/);

    expect((await fetch(`${server.url}/ready`)).status).toBe(503);
    const res = await fetch(`${server.url}/slow?ms=0`);
    expect(await res.text()).toBe('slept 0');
    await expect(server.waitForExit()).resolves.toEqual({ code: 0, signal: null });
  });

  test('when a request outlasts SHUTDOWN_TIMEOUT_MS, the process is forced out with exit code 1', async () => {
    const server = await startService(fixture, { SHUTDOWN_TIMEOUT_MS: '300' });
    const { response } = await startSlowRequest(server, 10_000);

    await expect(server.stop('SIGTERM')).resolves.toEqual({ code: 1, signal: null });
    await expect(response).rejects.toThrow();
    expect(server.output()).toMatch(/shutdown took too long/);
    expect(server.output()).not.toMatch(/cleanup ran/);
  });

  test('a second signal forces the exit at once', async () => {
    const server = await startService(fixture, { SHUTDOWN_TIMEOUT_MS: '20000' });
    await startSlowRequest(server, 10_000);
    server.child.kill('SIGTERM');
    await server.waitForLine(/draining in-flight requests/);

    await expect(server.stop('SIGINT')).resolves.toEqual({ code: 1, signal: null });
  });
});
