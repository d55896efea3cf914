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

export interface MadeToastie {
  readonly toastie: Toastie;
  /** Which chillybin API the ingredients came through. */
  readonly api: 'v1';
}

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
  readonly machine: Machine;
  readonly cookTimeScale: number;
}

export function createToastieMaker({ chillybin, machine, cookTimeScale }: ToastieMakerOptions) {
  return {
    /**
     * Pick every ingredient, then cook. v1 picks one ingredient at a time: if a later
     * one is out of stock, the earlier ones are already gone (docs/foxtrot.md).
     */
    make(order: ToastieOrder): Promise<MadeToastie> {
      return machine.run(async () => {
        for (const [ingredient, quantity] of ingredientsToPick(order)) await chillybin.pick(ingredient, quantity);
        const cookedMs = await cook(order.doneness, cookTimeScale);
        return { toastie: { ...order, bread: BREAD_SLICES, cookedMs }, api: 'v1' as const };
      });
    },
  };
}

export type ToastieMaker = ReturnType<typeof createToastieMaker>;
