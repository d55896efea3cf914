import type { Order, OutOfStock, PickItem } from '@toasties/contract';

/**
 * chillybin's storage, as the use cases (pick.ts, restock.ts) see it: tables bound to one
 * transaction, handed to the work that runs in it. Each backend implements these interfaces
 * in its own folder (store/sqlite, store/postgres); open.ts is the one place that picks one.
 *
 *   store.transaction(async (t) => { const short = await t.stock.take(items); … })
 *
 * A table reached through `t` can only run in that transaction: there is no other way to
 * reach it, so no statement can slip outside the transaction by a forgotten argument.
 */

export type StockLevels = Record<string, number>;

/** The ingredients table. */
export interface StockTable {
  levels(): Promise<StockLevels>;
  /** The first of these names (in the order given) the chillybin does not hold at all; undefined when it holds them all. */
  unknown(names: readonly string[]): Promise<string | undefined>;
  /**
   * Take every item, or none: undefined when taken; the first item short (in the order given)
   * when one is. An ingredient the chillybin does not hold at all is UnknownIngredient
   * (thrown: the first unknown one, before any shortage), and nothing is taken.
   */
  take(items: readonly PickItem[]): Promise<OutOfStock | undefined>;
  /** Set the given amounts (adding ingredients that are new); others are left alone. */
  set(amounts: Readonly<StockLevels>): Promise<void>;
}

/** The orders and order_items tables: an order's items live and die with it. */
export interface OrdersTable {
  add(order: Order): Promise<void>;
  /** Undo `add` in the same transaction (the order's items went short after it was written). */
  remove(id: string): Promise<void>;
  /** The order with this public id (lower case). */
  get(id: string): Promise<Order | undefined>;
  /** The public id of the order in this row: for outcomes recorded before migration 0003 (compat/). */
  publicIdOf(rowId: number): Promise<string | undefined>;
}

/** A key as a customer sent it, with the request it came with. */
export interface Keyed {
  /** Keys are scoped by customer: two customers may use the same key for different things. */
  readonly customer: string;
  readonly key: string;
  /** The request's identity: the same key with another fingerprint is a misuse. */
  readonly fingerprint: string;
}

/**
 * What a keyed order came to, as its key remembers it: only final outcomes are recorded. An
 * order recorded by a release before migration 0003 names its order by row id (a number).
 */
export type RecordedOutcome =
  | { readonly kind: 'placed'; readonly order: Order | (Omit<Order, 'id'> & { readonly id: number }) }
  | { readonly kind: 'short'; readonly shortage: OutOfStock };

/** What a key was found to hold when claimed. */
export type KeyClaim =
  | { readonly kind: 'new' }
  | { readonly kind: 'recorded'; readonly fingerprint: string; readonly outcome: RecordedOutcome };

/** The idempotency_keys table. */
export interface IdempotencyKeysTable {
  /**
   * Claim the key for this transaction until it ends (another transaction claiming it waits,
   * then finds what this one recorded), or find what it recorded before. A key past its expiry
   * is forgotten first, so it is simply a new one. In a transaction shared by several writes,
   * a key another transaction holds is not waited for: the claim throws, and the store runs
   * those writes again one by one (PostgreSQL; on SQLite the write lock is every key's).
   */
  claim(keyed: Keyed, now: number, expiresAt: number): Promise<KeyClaim>;
  record(keyed: Keyed, outcome: RecordedOutcome): Promise<void>;
  /** Forget at most `limit` keys expired by `now`; how many were forgotten. */
  sweep(now: number, limit: number): Promise<number>;
}

/** Every table, bound to one transaction (or, in `read`, to one consistent read). */
export interface Tables {
  readonly stock: StockTable;
  readonly orders: OrdersTable;
  readonly keys: IdempotencyKeysTable;
}

export interface TransactionOptions {
  /**
   * Set: the work may share one transaction and one COMMIT with others of the same kind that
   * arrive while one is in flight, each failing alone if it throws (the store's write
   * coalescing). The kind names the rows the work locks (e.g. its ingredients, sorted): only
   * writes that lock the same rows go together, so a shared transaction locks them in the one
   * order a single write does, and two never wait on each other in a circle. A keyed order
   * may share one too: in a shared transaction, a key another transaction holds is not waited
   * for (the keys table's `claim`), so a write never waits on a key while holding the stock
   * rows the writes before it took.
   */
  readonly shared?: string;
}

export interface Store {
  readonly backend: 'sqlite' | 'postgres';
  /**
   * Run `work` in one transaction: committed when it resolves, rolled back when it throws.
   * A locked database is waited for (up to the configured window), then a 'busy' fault; a
   * failure after which the store cannot tell whether the transaction committed is
   * OutcomeUnknown, never a fault that says nothing changed. Not to be nested.
   */
  transaction<T>(work: (t: Tables) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Reads, outside any write transaction. */
  read<T>(work: (t: Tables) => Promise<T>): Promise<T>;
  /** For readiness: rejects while the database cannot answer. */
  ping(): Promise<void>;
  /** For readiness: rejects while writes fail (the last failure, until a probe write succeeds), naming why. */
  check(): Promise<void>;
  close(): Promise<void>;
}
