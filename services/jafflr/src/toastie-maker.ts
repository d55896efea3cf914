import { randomUUID } from 'node:crypto';
import type { JafflrFlags } from './flags';
import type { ChillybinClient } from './chillybin-client';
import { cook } from './cook';
import type { Machine } from './machine';
import type { ToastieOrder } from './toastie-order';

/** Every toastie has two slices of bread, whatever else is in it. */
export const BREAD_SLICES = 2;

export interface Toastie extends ToastieOrder {
  readonly bread: number;
  readonly cookedMs: number;
}

/** The toastie, and which chillybin API its ingredients came through (v2: with the order). */
export type MadeToastie = { readonly toastie: Toastie; readonly api: 'v1' } | { readonly toastie: Toastie; readonly api: 'v2'; readonly orderId: string };

/** How much of each ingredient an order takes, bread included. */
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
  /** v1 picks one ingredient at a time: if a later one is out of stock, the earlier ones are already gone. */
  async function pickV1(order: ToastieOrder): Promise<void> {
    for (const [ingredient, quantity] of ingredientsToPick(order)) await chillybin.pick(ingredient, quantity);
  }

  /** v2 picks the whole toastie in one call: out of stock takes nothing. One key per toastie. */
  async function pickV2(order: ToastieOrder): Promise<string> {
    const items = [...ingredientsToPick(order)].map(([ingredient, quantity]) => ({ ingredient, quantity }));
    return (await chillybin.pickOrder(order.customer, items, randomUUID())).orderId;
  }

  return {
    /** Pick every ingredient (through v2 if the pick.v2 flag is on for this customer), then cook. */
    make(order: ToastieOrder): Promise<MadeToastie> {
      return machine.run(async (): Promise<MadeToastie> => {
        const cooked = async () => ({ ...order, bread: BREAD_SLICES, cookedMs: await cook(order.doneness, cookTimeScale) });
        if (flags.isEnabled('pick.v2', { customer: order.customer })) {
          const orderId = await pickV2(order);
          return { toastie: await cooked(), api: 'v2', orderId };
        }
        await pickV1(order);
        return { toastie: await cooked(), api: 'v1' };
      });
    },
  };
}

export type ToastieMaker = ReturnType<typeof createToastieMaker>;
