import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { startService, stopAllProcesses, waitFor } from '@toasties/testkit';

const fixture = join(__dirname, 'fixtures', 'slow-server.js');

/** One raw keep-alive connection, so the test controls exactly which socket each request uses. */
function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return {
    send: (path: string) => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`),
    responses: () => received.split('HTTP/1.1 ').slice(1),
    closed,
  };
}

afterAll(stopAllProcesses);

describe('draining keeps keep-alive clients safe', () => {
  test.each([
    ['an asynchronous handler', '/slow?ms=0', 'slept 0'],
    ['a synchronous handler', '/sync', 'answered at once'],
  ])('a request sent on an idle keep-alive connection after draining began is answered, with Connection: close (%s)', async (_handler, path, body) => {
    // A long idle grace: however slowly this test sends its second request, the idle
    // connection is still open for it (closing idle ones is the next test's subject).
    const server = await startService(fixture, { SHUTDOWN_TIMEOUT_MS: '20000', IDLE_GRACE_MS: '15000' });
    const connection = rawConnection(server.port);
    connection.send('/slow?ms=0');
    await waitFor(() => connection.responses().length === 1, { what: 'the first answer' });
    expect(connection.responses()[0]).toMatch(/keep-alive/i);

    server.child.kill('SIGTERM');
    await server.waitForLine(/draining in-flight requests/);
    connection.send(path); // the connection looked idle to the server: no reset for it

    await waitFor(() => connection.responses().length === 2, { what: 'the second answer' });
    expect(connection.responses()[1]).toMatch(/^200 OK[\s\S]*Connection: close/i);
    expect(connection.responses()[1]!.endsWith(body)).toBe(true);
    await connection.closed;
    await expect(server.waitForExit()).resolves.toEqual({ code: 0, signal: null });
  });

  test('a keep-alive connection that stays idle is closed after the grace period, and the process exits 0', async () => {
    const server = await startService(fixture, { SHUTDOWN_TIMEOUT_MS: '20000' });
    const connection = rawConnection(server.port);
    connection.send('/slow?ms=0');
    await waitFor(() => connection.responses().length === 1, { what: 'the first answer' });

    server.child.kill('SIGTERM');
    await connection.closed;
    await expect(server.waitForExit()).resolves.toEqual({ code: 0, signal: null });
  });
});
