import { connect } from 'node:net';
import { stopAllProcesses, waitFor } from '@toasties/testkit';
import { startStack, stockOf } from './services';

afterAll(stopAllProcesses);

/** A client that sends a request's headers and the start of its body, then nothing more. */
async function slowBodyClient(port: number) {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined); // the server may close it: asserted through `closed`
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const body = '{"i": ["cheese"], "doneness": "light"}';
  await new Promise<void>((resolve) => socket.write(`POST /toastie HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`, () => resolve()));
  return { received: () => received, closed };
}

describe('stopping jafflr while a toastie cooks', () => {
  test('SIGTERM lets the toastie finish, then jafflr exits 0', async () => {
    // light = 1 s at scale 1: half a second of cooking is in flight when the signal lands.
    const { chillybin, jafflr } = await startStack({ COOK_TIME_SCALE: '0.5' });
    const toastie = fetch(`${jafflr.url}/toastie?i=cheese&doneness=light`, { method: 'POST' });
    await waitFor(async () => ((await (await fetch(`${jafflr.url}/`)).json()) as { inProgress: number }).inProgress === 1, { what: 'the toastie to be cooking' });

    const exit = jafflr.stop('SIGTERM');

    const res = await toastie;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ toastie: { cookedMs: 500 } });
    await expect(exit).resolves.toEqual({ code: 0, signal: null });
    expect(await stockOf(chillybin)).toMatchObject({ cheese: 9, bread: 8 });
  });

  test('a client whose body has not arrived does not hold the drain: it gets 503, the toastie in flight gets 200, exit 0', async () => {
    const { chillybin, jafflr } = await startStack({ COOK_TIME_SCALE: '0.5', SHUTDOWN_TIMEOUT_MS: '5000' });
    const slow = await slowBodyClient(jafflr.port);
    const toastie = fetch(`${jafflr.url}/toastie?i=cheese&doneness=light`, { method: 'POST' });
    await waitFor(async () => ((await (await fetch(`${jafflr.url}/`)).json()) as { inProgress: number }).inProgress === 1, { what: 'the toastie to be cooking' });

    const exit = jafflr.stop('SIGTERM');

    expect((await toastie).status).toBe(200);
    await expect(exit).resolves.toEqual({ code: 0, signal: null });
    await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 503 [\s\S]*Connection: close[\s\S]*"error":"shutting_down"/i);
    expect(await stockOf(chillybin)).toMatchObject({ cheese: 9, bread: 8 }); // the slow client's toastie took nothing
  });
});
