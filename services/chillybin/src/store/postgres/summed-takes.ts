import { UnknownIngredient, type OutOfStock, type PickItem } from '@toasties/contract';
import type { StockTable, Tables } from '../store';

type Work = (t: Tables) => Promise<unknown>;

/** A write of the batch that is not one take of one item: the batch goes write by write. */
class NotOneTake extends Error {}

const notOneTake = (): never => {
  throw new NotOneTake();
};

/**
 * A shared batch of v1 picks (each work a take of one item, the same ingredient) as one
 * conditional decrement of their sum: one statement while the row is held, however many
 * picks the batch carries. Each work is run against tables that only note the item it asks
 * for; a work that asks for anything else (an order, several items) makes this decline.
 * The values when the sum was taken; 'declined' when this declined or the sum is not there
 * (then nothing was taken, nothing is locked, and the caller takes them one by one, in the
 * order they came, each getting the answer it would have had alone); 'one threw' when a work
 * threw after the sum was taken (the caller rolls the transaction back, and each goes alone).
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
  // An unknown ingredient or a shortage changed nothing: taken one by one, each gets its answer.
  // A database fault is the transaction's, thrown on.
  const short = await stock.take([{ ingredient: ingredient!, quantity: sum }]).catch((error: unknown) => {
    if (error instanceof UnknownIngredient) return 'unknown';
    throw error;
  });
  if (short !== undefined) return 'declined';
  asked.forEach(({ answer }) => answer(undefined));
  const settled = await Promise.allSettled(values);
  return settled.every((one) => one.status === 'fulfilled') ? settled.map((one) => one.value) : 'one threw';
}
