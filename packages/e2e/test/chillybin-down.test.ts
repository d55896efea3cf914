import { stopAllProcesses } from '@toasties/testkit';
import { startStack } from './services';

afterAll(stopAllProcesses);

describe('when the chillybin is down', () => {
  test('a toastie is 503 chillybin_unavailable JSON, and jafflr is not ready but alive', async () => {
    const { chillybin, jafflr } = await startStack();
    await chillybin.stop('SIGTERM');

    const res = await fetch(`${jafflr.url}/toastie?i=cheese`, { method: 'POST' });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'chillybin_unavailable', message: expect.stringContaining('ECONNREFUSED') });
    expect((await fetch(`${jafflr.url}/health/ready`)).status).toBe(503);
    expect((await fetch(`${jafflr.url}/health`)).status).toBe(200);
  });
});
