import { stopAllProcesses, waitFor } from '@toasties/testkit';
import { startStack, stockOf } from './services';

afterAll(stopAllProcesses);

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
});
