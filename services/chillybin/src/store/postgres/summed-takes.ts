import { UnknownIngredient, type OutOfStock, type PickItem } from '@toasties/contract';
import type { StockTable, Tables } from '../store';

type Work = (t: Tables) => Promise<unknown>;

class NotOneTake extends Error {}

const notOneTake = (): never => {
  throw new NotOneTake();
};

/**
 * A shared batch of one-item v1 picks of one ingredient as one conditional decrement of their
 * sum: one statement while the row is held. 'declined' when a work asks for anything else or
 * the sum is not there (nothing taken); 'one threw' after the sum was taken (the caller rolls back).
 */
export async function takeSummed(works: readonly Work[], stock: StockTable): Promise<unknown[] | 'declined' | 'one threw'> {
  const asked: { item: PickItem; answer: (short: OutOfStock | undefined) => void }[] = [];
  const noting: StockTable = {
    levels: notOneTake,
    unknown: notOneTake,
    set: notOneTake,
    take: (items) => (items.length === 1 ? new Promise((answer) => asked.push({ item: items[0]!, answer })) : notOneTake()),
  };
  const tables: Tables = { stock: noting, orders: { add: notOneTake, remove: notOneTake, get: notOneTake, publicIdOf: notOneTake }, keys: { claim: notOneTake, record: notOneTake, sweep: notOneTake } };
  // Each asks (or declines) before its first await; one left unanswered is never resumed.
  const values = works.map((work) => {
    try {
      return work(tables);
    } catch (error) {
      return Promise.reject(error);
    }
  });
  values.forEach((value) => void value.catch(() => undefined));
  const ingredient = asked[0]?.item.ingredient;
  if (asked.length !== works.length || asked.some(({ item }) => item.ingredient !== ingredient)) return 'declined';
  const sum = asked.reduce((total, { item }) => total + item.quantity, 0);
  // A shortage changed nothing: taken one by one, each gets its own answer.
  const short = await stock.take([{ ingredient: ingredient!, quantity: sum }]).catch((error: unknown) => {
    if (error instanceof UnknownIngredient) return 'unknown';
    throw error;
  });
  if (short !== undefined) return 'declined';
  asked.forEach(({ answer }) => answer(undefined));
  const settled = await Promise.allSettled(values);
  return settled.every((one) => one.status === 'fulfilled') ? settled.map((one) => one.value) : 'one threw';
}
