import type { Order, OutOfStock, PickItem } from '@toasties/contract';

/**
 * chillybin's storage as the use cases see it: tables bound to one transaction, reachable only
 * through `t` in `store.transaction(t => …)`, so no statement can slip outside it.
 */

export type StockLevels = Record<string, number>;

export interface StockTable {
  levels(): Promise<StockLevels>;
  /** The first of these names the chillybin does not hold at all. */
  unknown(names: readonly string[]): Promise<string | undefined>;
  /** Takes every item or none: the first item short, or throws UnknownIngredient before any shortage. */
  take(items: readonly PickItem[]): Promise<OutOfStock | undefined>;
  set(amounts: Readonly<StockLevels>): Promise<void>;
}

export interface OrdersTable {
  add(order: Order): Promise<void>;
  /** Undoes `add` in the same transaction (its items went short after it was written). */
  remove(id: string): Promise<void>;
  get(id: string): Promise<Order | undefined>;
  /** For outcomes recorded before migration 0003, which name the order by row id (compat/). */
  publicIdOf(rowId: number): Promise<string | undefined>;
}

export interface Keyed {
  /** Keys are scoped by customer: two customers may use the same key for different things. */
  readonly customer: string;
  readonly key: string;
  readonly fingerprint: string;
}

/** Only final outcomes are recorded; one recorded before migration 0003 names its order by row id. */
export type RecordedOutcome =
  | { readonly kind: 'placed'; readonly order: Order | (Omit<Order, 'id'> & { readonly id: number }) }
  | { readonly kind: 'short'; readonly shortage: OutOfStock };

export type KeyClaim =
  | { readonly kind: 'new' }
  | { readonly kind: 'recorded'; readonly fingerprint: string; readonly outcome: RecordedOutcome };

export interface IdempotencyKeysTable {
  /**
   * Holds the key until the transaction ends; an expired key counts as new. In a shared
   * transaction a key another transaction holds is not waited for: the claim throws (PostgreSQL).
   */
  claim(keyed: Keyed, now: number, expiresAt: number): Promise<KeyClaim>;
  record(keyed: Keyed, outcome: RecordedOutcome): Promise<void>;
  sweep(now: number, limit: number): Promise<number>;
}

export interface Tables {
  readonly stock: StockTable;
  readonly orders: OrdersTable;
  readonly keys: IdempotencyKeysTable;
}

export interface TransactionOptions {
  /**
   * Lets the work share one transaction and COMMIT with others of the same kind (write
   * coalescing). The kind names the rows it locks, so a shared transaction locks them in the
   * order a single write does and two never wait on each other in a circle.
   */
  readonly shared?: string;
}

export interface Store {
  readonly backend: 'sqlite' | 'postgres';
  /** Committed when `work` resolves; a commit it cannot confirm is OutcomeUnknown, never "nothing changed". Not to be nested. */
  transaction<T>(work: (t: Tables) => Promise<T>, options?: TransactionOptions): Promise<T>;
  read<T>(work: (t: Tables) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  /** Rejects while writes fail (until a probe write succeeds). */
  check(): Promise<void>;
  close(): Promise<void>;
}
