import { randomUUID } from 'node:crypto';
import type { JafflrFlags } from './flags';
import type { ChillybinClient } from './chillybin-client';
import { cook, cookTimeMs } from './cook';
import type { Machine } from './machine';
import { chillybinKeyFor, requestFingerprintFor } from './toastie-key';
import type { ToastieOrder } from './toastie-order';

export const BREAD_SLICES = 2;

export interface Toastie extends ToastieOrder {
  readonly bread: number;
  readonly cookedMs: number;
}

export type MadeToastie = { readonly toastie: Toastie; readonly api: 'v1' } | { readonly toastie: Toastie; readonly api: 'v2'; readonly orderId: string };

/** `replayed`: made by an earlier request with the same Idempotency-Key. */
export interface ToastieOutcome {
  readonly made: MadeToastie;
  readonly replayed: boolean;
}

export function ingredientsToPick(order: ToastieOrder): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of [...order.ingredients, ...Array<string>(BREAD_SLICES).fill('bread')]) {
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

export interface ToastieMakerOptions {
  readonly chillybin: ChillybinClient;
  readonly flags: JafflrFlags;
  readonly machine: Machine;
  readonly cookTimeScale: number;
}

export function createToastieMaker({ chillybin, flags, machine, cookTimeScale }: ToastieMakerOptions) {
  /** One ingredient at a time: if a later one is out of stock, the earlier ones are already gone. */
  async function pickV1(order: ToastieOrder, requestId: string | undefined): Promise<void> {
    for (const [ingredient, quantity] of ingredientsToPick(order)) await chillybin.pick(ingredient, quantity, requestId);
  }

  function pickV2(order: ToastieOrder, chillybinKey: string, requestId: string | undefined) {
    const items = [...ingredientsToPick(order)].map(([ingredient, quantity]) => ({ ingredient, quantity }));
    return chillybin.pickOrder(order.customer, items, chillybinKey, requestFingerprintFor(order), requestId);
  }

  const toastie = (order: ToastieOrder, cookedMs: number): Toastie => ({ ...order, bread: BREAD_SLICES, cookedMs });

  return {
    /**
     * A keyed toastie goes through v2 whatever the flag says: only v2 can promise a retry takes
     * nothing again, and a flag flipped between attempts must not break that. `requestId`: the
     * id of the request the toastie is made for, passed on to the chillybin.
     */
    make(order: ToastieOrder, idempotencyKey?: string, requestId?: string): Promise<ToastieOutcome> {
      return machine.run(async (): Promise<ToastieOutcome> => {
        if (idempotencyKey !== undefined || flags.isEnabled('pick.v2', { customer: order.customer })) {
          const key = idempotencyKey === undefined ? randomUUID() : chillybinKeyFor(order.customer, idempotencyKey);
          const { orderId, replayed = false } = await pickV2(order, key, requestId);
          const cookedMs = replayed ? cookTimeMs(order.doneness, cookTimeScale) : await cook(order.doneness, cookTimeScale);
          return { made: { toastie: toastie(order, cookedMs), api: 'v2', orderId }, replayed };
        }
        await pickV1(order, requestId);
        return { made: { toastie: toastie(order, await cook(order.doneness, cookTimeScale)), api: 'v1' }, replayed: false };
      }, (outcome) => !outcome.replayed);
    },
  };
}

export type ToastieMaker = ReturnType<typeof createToastieMaker>;
