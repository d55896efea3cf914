import { KeyReused, OutOfStock, type PickItem, type PickRequest } from '@toasties/contract';
import { ERROR_ANSWER, ORDER_ANSWER } from '@toasties/contract/answers';
import { createServiceClient, ServiceBadAnswer, ServiceTimeout, ServiceUnavailable, type Answer } from '@toasties/http/service-client';
import * as z from 'zod';

export { ServiceUnavailable as ChillybinUnavailable, ServiceTimeout as ChillybinTimeout };

/** The chillybin's 503 outcome_unknown: the write may have happened. */
export class ChillybinOutcomeUnknown extends ServiceUnavailable {}

export interface ChillybinClientOptions {
  readonly baseUrl: string;
  /** The chillybin then does not count jafflr against its rate limit. */
  readonly serviceToken: string | undefined;
  /** The whole call, every retry included. */
  readonly timeoutMs: number;
  /** A slow chillybin must not get one connection per toastie. */
  readonly maxConnections: number;
  readonly onCall?: (operation: string, outcome: string, seconds: number) => void;
}

/** `requestId`: of the request the call is made for, so the chillybin logs it under the same id. */
export interface ChillybinClient {
  pick(ingredient: string, quantity: number, requestId?: string): Promise<void>;
  /** The key is bound to `requestFingerprint` too; `replayed`: the chillybin answered an earlier call's outcome again. */
  pickOrder(customer: string, items: readonly PickItem[], idempotencyKey: string, requestFingerprint: string, requestId?: string): Promise<{ orderId: string; replayed: boolean }>;
  health(): Promise<void>;
  close(): Promise<void>;
}

export function createChillybinClient({ baseUrl, serviceToken, timeoutMs, maxConnections, onCall }: ChillybinClientOptions): ChillybinClient {
  const chillybin = createServiceClient({ name: 'chillybin', baseUrl, token: serviceToken, timeoutMs, maxConnections, ...(onCall && { onCall }) });
  return {
    async pick(ingredient, quantity, requestId) {
      // Never retried: if its answer is lost, a repeat could take the ingredient twice.
      const answer = await chillybin.call('pick', 'POST', '/pick', { query: { name: ingredient, quantity: String(quantity) }, requestId });
      if (answer.status === 200) return;
      throw v1Refusal(answer, ingredient) ?? refused(answer, `a pick of ${ingredient}`);
    },
    async pickOrder(customer, items, idempotencyKey, requestFingerprint, requestId) {
      const pick: PickRequest = { customer, items, requestFingerprint };
      // The draft's form of the key: a quoted structured-field string, the same on every attempt.
      const answer = await chillybin.call('pick_v2', 'POST', '/v2/pick', { json: pick, headers: { 'idempotency-key': `"${idempotencyKey}"` }, retry: true, requestId });
      const replayed = answer.headers['idempotent-replayed'] === 'true';
      if (answer.status === 201) return { orderId: orderIdOf(answer), replayed };
      const error = ERROR_ANSWER.safeParse(safeJson(answer.body)).data;
      if (answer.status === 409 && error?.error === 'out_of_stock' && typeof error.ingredient === 'string') throw new OutOfStock(error.ingredient);
      if (answer.status === 422 && error?.error === 'idempotency_key_reused') throw new KeyReused();
      throw v2Refusal(answer.status, error) ?? refused(answer, `an order for ${customer}`);
    },
    async health() {
      const { status } = await chillybin.call('health', 'GET', '/health', { retry: true });
      if (status !== 200) throw new ServiceUnavailable(`the chillybin answered ${status} on /health`);
    },
    close: () => chillybin.close(),
  };
}

/** An answer that is not JSON is a bad answer, never a cast. */
function decode(answer: Answer): unknown {
  try {
    return JSON.parse(answer.body);
  } catch {
    throw new ServiceBadAnswer(`the chillybin answered ${answer.status} with a body that is not JSON`);
  }
}

/** A 429 means jafflr was counted against the chillybin's rate limit, which a shared SERVICE_TOKEN prevents. */
function refused({ status, retryAfter, body }: Answer, what: string): ServiceUnavailable {
  if (status === 503 && ERROR_ANSWER.safeParse(safeJson(body)).data?.error === 'outcome_unknown') return new ChillybinOutcomeUnknown(`the chillybin could not tell whether ${what} happened`);
  const hint = status === 429 ? " (jafflr was rate limited: give it the chillybin's SERVICE_TOKEN)" : '';
  return new ServiceUnavailable(`the chillybin answered ${status} to ${what}${hint}`, retryAfter);
}

// ---- Compatibility with chillybin releases still deployed ------------------------------------
// v1's 410s go at v1 /pick's sunset; numeric order ids after NUMERIC_ORDER_IDS_REMOVE_AFTER.

/** v1's 410 meant "none left"; a 410 `gone` means v1 itself is off (the foxtrot's step 3). */
function v1Refusal({ status, body }: Answer, ingredient: string): Error | undefined {
  if (status !== 410) return undefined;
  if (ERROR_ANSWER.safeParse(safeJson(body)).data?.error === 'gone') return new ServiceUnavailable('the chillybin no longer serves v1 /pick; turn the pick.v2 flag on');
  return new OutOfStock(ingredient);
}

/** A chillybin before migration 0003 names an order by its row number. */
function orderIdOf(answer: Answer): string {
  const body = decode(answer);
  const current = ORDER_ANSWER.safeParse(body);
  if (current.success) return current.data.order.id;
  const legacy = LEGACY_ORDER_ANSWER.safeParse(body);
  if (legacy.success) return String(legacy.data.order.id);
  throw new ServiceBadAnswer(`the chillybin answered ${answer.status} with a body jafflr does not understand`);
}

/** As v1 answered it (410), an unknown ingredient is one it has none of: never a 503 inviting a retry. */
function v2Refusal(status: number, error: z.output<typeof ERROR_ANSWER> | undefined): Error | undefined {
  if (status === 400 && error?.error === 'unknown_ingredient' && typeof error.ingredient === 'string') return new OutOfStock(error.ingredient);
  return undefined;
}

const LEGACY_ORDER_ANSWER = z.object({ order: z.object({ id: z.number().int() }) });

// ---- End of compatibility ---------------------------------------------------------------------

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
