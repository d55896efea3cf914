import { GiveUp, waitFor } from '../src/wait-for';

describe('waitFor', () => {
  test('returns the first truthy value', async () => {
    let tries = 0;
    await expect(waitFor(() => (++tries >= 3 ? 'done' : undefined), { intervalMs: 1 })).resolves.toBe('done');
    expect(tries).toBe(3);
  });

  test('treats a throwing probe as not yet, and reports its error at the deadline', async () => {
    await expect(waitFor(() => { throw new Error('still down'); }, { timeoutMs: 50, intervalMs: 5, what: 'server' }))
      .rejects.toThrow('timed out after 50 ms waiting for server: still down');
  });

  test('stops at once when the probe gives up, with its reason', async () => {
    let tries = 0;
    const probe = () => {
      tries += 1;
      if (tries === 2) throw new GiveUp('it exited');
      return undefined;
    };
    await expect(waitFor(probe, { timeoutMs: 10 * 60_000, intervalMs: 1 })).rejects.toThrow(new GiveUp('it exited'));
    expect(tries).toBe(2);
  });
});
