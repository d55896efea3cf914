import { createFlags, parseRule } from '@toasties/flags';
import { MAX_PICK_ITEMS, MAX_PICK_QUANTITY, REQUEST_FINGERPRINT, type PickItem } from '@toasties/contract';
import type { ChillybinClient } from '../src/chillybin-client';
import { FLAGS } from '../src/flags';
import { createMachine } from '../src/machine';
import { createToastieMaker, ingredientsToPick } from '../src/toastie-maker';
import { MAX_INGREDIENTS } from '../src/toastie-order';

// A recording stand-in for the chillybin client, at the edge of this unit test: what
// matters here is which API the maker chooses and what it asks for.
function recordingChillybin() {
  const calls: { v1: [string, number][]; v2: { customer: string; items: readonly PickItem[]; key: string; fingerprint: string }[] } = { v1: [], v2: [] };
  const chillybin: ChillybinClient = {
    pick: async (ingredient, quantity) => void calls.v1.push([ingredient, quantity]),
    pickOrder: async (customer, items, key, fingerprint) => {
      calls.v2.push({ customer, items, key, fingerprint });
      return { orderId: `order-${41 + calls.v2.length}`, replayed: false };
    },
    health: async () => undefined,
    close: async () => undefined,
  };
  return { chillybin, calls };
}

const order = (customer: string) => ({ ingredients: ['cheese', 'cheese', 'ham'], doneness: 'light' as const, customer });

describe('the toastie maker with FLAG_PICK_V2=gita', () => {
  const flags = createFlags(FLAGS, { overrides: { 'pick.v2': parseRule('gita')! } });

  test('for gita: one v2 order for the whole toastie, bread included, under a fresh key each time', async () => {
    const { chillybin, calls } = recordingChillybin();
    const maker = createToastieMaker({ chillybin, flags, machine: createMachine(), cookTimeScale: 0 });
    await expect(maker.make(order('gita'))).resolves.toMatchObject({ made: { api: 'v2', orderId: 'order-42', toastie: { customer: 'gita', bread: 2 } }, replayed: false });
    await maker.make(order('gita'));
    expect(calls.v1).toEqual([]);
    expect(calls.v2.map((call) => [call.customer, call.items])).toEqual([
      ['gita', [{ ingredient: 'cheese', quantity: 2 }, { ingredient: 'ham', quantity: 1 }, { ingredient: 'bread', quantity: 2 }]],
      ['gita', [{ ingredient: 'cheese', quantity: 2 }, { ingredient: 'ham', quantity: 1 }, { ingredient: 'bread', quantity: 2 }]],
    ]);
    expect(calls.v2[0]!.key).not.toBe(calls.v2[1]!.key);
  });

  test('for gwyn: the v1 picks, one per ingredient, and no order id', async () => {
    const { chillybin, calls } = recordingChillybin();
    const maker = createToastieMaker({ chillybin, flags, machine: createMachine(), cookTimeScale: 0 });
    const { made } = await maker.make(order('gwyn'));
    expect(made).toEqual({ api: 'v1', toastie: expect.objectContaining({ customer: 'gwyn' }) });
    expect(calls.v1).toEqual([['cheese', 2], ['ham', 1], ['bread', 2]]);
    expect(calls.v2).toEqual([]);
  });
});

describe('a toastie with an Idempotency-Key', () => {
  const flags = createFlags(FLAGS, { overrides: { 'pick.v2': parseRule('gita')! } });

  test.each(['gita', 'gwyn'])('for %s: through v2 whatever the flag says, under a key derived from the customer and theirs, the same on every attempt', async (customer) => {
    const { chillybin, calls } = recordingChillybin();
    const maker = createToastieMaker({ chillybin, flags, machine: createMachine(), cookTimeScale: 0 });
    await maker.make(order(customer), 'key-1');
    await maker.make(order(customer), 'key-1');
    await maker.make(order(customer), 'key-2');
    expect(calls.v1).toEqual([]);
    const [first, again, other] = calls.v2.map((call) => call.key);
    expect(first).toBe(again);
    expect(other).not.toBe(first);
  });

  // The chillybin's items do not hold the doneness: the fingerprint it binds the key to does.
  test('the toastie\'s fingerprint: the same for the same toastie however it was asked, another for another doneness', async () => {
    const { chillybin, calls } = recordingChillybin();
    const maker = createToastieMaker({ chillybin, flags, machine: createMachine(), cookTimeScale: 0 });
    for (const toastie of [order('gita'), order('gita'), { ...order('gita'), doneness: 'burnt' as const }, { ...order('gita'), ingredients: ['cheese', 'ham', 'cheese'] }]) {
      await maker.make(toastie, 'key-1');
    }
    const [first, again, darker, reordered] = calls.v2.map((call) => call.fingerprint);
    expect(first).toMatch(REQUEST_FINGERPRINT);
    expect(again).toBe(first);
    expect(darker).not.toBe(first);
    expect(reordered).not.toBe(first);
  });

  test('two customers with the same key of their own: two chillybin keys', async () => {
    const { chillybin, calls } = recordingChillybin();
    const maker = createToastieMaker({ chillybin, flags, machine: createMachine(), cookTimeScale: 0 });
    await maker.make(order('gita'), 'key-1');
    await maker.make(order('gwyn'), 'key-1');
    expect(calls.v2[0]!.key).not.toBe(calls.v2[1]!.key);
  });

  test('a chillybin replay is a replayed toastie, answered as the first: not cooked again', async () => {
    const replaying: ChillybinClient = { ...recordingChillybin().chillybin, pickOrder: async () => ({ orderId: 'order-7', replayed: true }) };
    const maker = createToastieMaker({ chillybin: replaying, flags, machine: createMachine(), cookTimeScale: 1000 });
    // At this scale a real cook would outlast the test; the replay answers at once with the time it took.
    await expect(maker.make(order('gita'), 'key-1')).resolves.toEqual({
      made: { api: 'v2', orderId: 'order-7', toastie: { ...order('gita'), bread: 2, cookedMs: 1_000_000 } },
      replayed: true,
    });
  });
});

describe('a toastie and the pick contract', () => {
  test('the largest toastie jafflr takes fits in one v2 pick (@toasties/contract\'s limits)', () => {
    const distinct = ingredientsToPick({ ingredients: ['cheese', ...Array.from({ length: MAX_INGREDIENTS - 1 }, (_, i) => `filling-${'abcdefghij'[i]}`)], doneness: 'light', customer: 'gita' });
    const same = ingredientsToPick({ ingredients: Array<string>(MAX_INGREDIENTS).fill('cheese'), doneness: 'light', customer: 'gita' });
    expect(distinct.size).toBeLessThanOrEqual(MAX_PICK_ITEMS);
    expect(Math.max(...same.values())).toBeLessThanOrEqual(MAX_PICK_QUANTITY);
  });
});
