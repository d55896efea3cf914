import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { withoutUserinfo } from '@toasties/config';
import { CHILLYBIN_CALL_BUDGET_MS, OutOfStock, type ErrorBody, type PickItem, type PickRequest } from '@toasties/contract';
import { currentRequestId, REQUEST_ID_HEADER } from '@toasties/observability';

/** The chillybin could not be reached, or answered with an error of its own. */
export class ChillybinUnavailable extends Error {
  /**
   * @param retryAfterSeconds what the chillybin's own Retry-After said (its 429 or 503), so
   *   jafflr can pass on the truth rather than a guess; undefined when it said nothing.
   */
  constructor(message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

/** The chillybin could not tell whether the write happened (its 503 outcome_unknown): it may have. */
export class ChillybinOutcomeUnknown extends ChillybinUnavailable {}

/** The chillybin did not answer within the timeout. */
export class ChillybinTimeout extends Error {}

export interface ChillybinClientOptions {
  readonly baseUrl: string;
  /** SERVICE_TOKEN, sent as `Authorization: Bearer <it>`: the chillybin then does not count jafflr against its rate limit. */
  readonly serviceToken?: string | undefined;
  /** The whole call, every retry included, ends within this: then ChillybinTimeout. */
  readonly timeoutMs: number;
  /**
   * Most connections open to the chillybin at once (CHILLYBIN_MAX_CONNECTIONS); further calls
   * queue for a free one, their deadline running.
   */
  readonly maxConnections: number;
  /** Extra attempts for a call that is safe to repeat (GET /health, a keyed v2 pick). */
  readonly retries: number;
  /** Wait before the first retry; doubles each time (with jitter), capped at maxBackoffMs. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** Told of every call: which (`pick`, `pick_v2`, `health`), its outcome (a status, or `timeout`/`unreachable`) and seconds. */
  readonly onCall?: (operation: string, outcome: string, seconds: number) => void;
}

export const defaults: Omit<ChillybinClientOptions, 'baseUrl' | 'onCall' | 'serviceToken'> = {
  timeoutMs: CHILLYBIN_CALL_BUDGET_MS,
  maxConnections: 64,
  retries: 2,
  backoffMs: 50,
  maxBackoffMs: 400,
};

/**
 * Answers worth another try: the chillybin (or something in front of it) failed before
 * doing anything it would keep. A keyed v2 pick that did commit replays its answer.
 */
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

export interface ChillybinClient {
  /** v1: take `quantity` of one ingredient. Throws OutOfStock, ChillybinUnavailable or ChillybinTimeout. */
  pick(ingredient: string, quantity: number): Promise<void>;
  /**
   * v2: take every item at once for a customer, all or nothing, recorded as an order. The
   * Idempotency-Key makes a retry of this call safe. Resolves with the order's public id; throws
   * OutOfStock (nothing was taken), ChillybinUnavailable or ChillybinTimeout.
   */
  pickOrder(customer: string, items: readonly PickItem[], idempotencyKey: string): Promise<{ orderId: string }>;
  /** Resolves if the chillybin is alive; used by jafflr's readiness. */
  health(): Promise<void>;
  /** Closes the kept-alive connections (on shutdown). */
  close(): Promise<void>;
}

export function createChillybinClient(options: Partial<ChillybinClientOptions> & Pick<ChillybinClientOptions, 'baseUrl'>): ChillybinClient {
  const { baseUrl, serviceToken, timeoutMs, maxConnections, retries, backoffMs, maxBackoffMs, onCall = () => undefined } = { ...defaults, ...options };
  // Connections are kept alive and reused. The idle timeout is below the server's own
  // (Node's default 5 s), so jafflr never sends on a socket the chillybin is closing. At
  // most maxConnections of them: a slow chillybin must not get one connection per toastie.
  const agent = new Agent({ keepAliveTimeout: 4000, keepAliveMaxTimeout: 4000, connections: maxConnections });

  interface CallOptions {
    readonly query?: Record<string, string>;
    readonly json?: unknown;
    readonly headers?: Record<string, string>;
    /**
     * Only for calls that are safe to repeat. Never a v1 pick: if its answer is lost, a
     * repeat could take the ingredient twice.
     */
    readonly retry?: boolean;
  }

  async function call(operation: string, method: 'GET' | 'POST', path: string, options: CallOptions = {}) {
    const started = performance.now();
    let outcome = 'unreachable';
    try {
      const answer = await send(method, path, options);
      outcome = String(answer.status);
      return answer;
    } catch (error) {
      if (error instanceof ChillybinTimeout) outcome = 'timeout';
      throw error;
    } finally {
      onCall(operation, outcome, (performance.now() - started) / 1000);
    }
  }

  async function send(method: 'GET' | 'POST', path: string, { query = {}, json, headers = {}, retry = false }: CallOptions) {
    // URLSearchParams encodes every value, so "vegemite&quantity=-1000" stays one value.
    const url = new URL(path, baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const body = json === undefined ? undefined : JSON.stringify(json);
    if (body !== undefined) headers = { ...headers, 'content-type': 'application/json' };
    // The same request id in both services' logs: one toastie, followed across the hop.
    const requestId = currentRequestId();
    if (requestId) headers = { ...headers, [REQUEST_ID_HEADER]: requestId };
    if (serviceToken) headers = { ...headers, authorization: `Bearer ${serviceToken}` };
    // One deadline for every attempt: a caller waits timeoutMs at most, retries or not. One
    // timer, cleared when the call ends: cheaper than AbortSignal.timeout(), whose timer and
    // signal outlive the call until it fires (~4% of jafflr's CPU in the profile).
    const deadline = Date.now() + timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    /** Another attempt, if this one may be repeated and its backoff still fits before the deadline. */
    const backoff = async (attempt: number): Promise<boolean> => {
      if (!retry || attempt >= retries) return false;
      const wait = Math.min(backoffMs * 2 ** attempt, maxBackoffMs) * (0.5 + Math.random() / 2);
      if (Date.now() + wait >= deadline) return false;
      await sleep(wait);
      return true;
    };
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          // undici's request() rather than fetch(): the same Agent and connections, without
          // WHATWG streams and Headers (fetch() was a third of jafflr's CPU per toastie).
          const response = await request(url, { method, headers, body, dispatcher: agent, signal: controller.signal });
          // Always read the body: an unread body keeps its connection from being reused.
          const answer = { status: response.statusCode, body: await response.body.text(), retryAfter: retryAfterSeconds(response.headers['retry-after']) };
          if (RETRYABLE_STATUS.has(answer.status) && (await backoff(attempt))) continue;
          return answer;
        } catch (error) {
          // Our own deadline, whatever shape the library gives the abort.
          if (controller.signal.aborted) {
            throw new ChillybinTimeout(`the chillybin did not answer ${method} ${path} within ${timeoutMs} ms`);
          }
          if (await backoff(attempt)) continue;
          throw new ChillybinUnavailable(`the chillybin could not be reached (${describe(error)})`);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async pick(ingredient, quantity) {
      const { status, body, retryAfter } = await call('pick', 'POST', '/pick', { query: { name: ingredient, quantity: String(quantity) } });
      if (status === 200) return;
      // 410 meant "none left" in v1; after step 3 of the foxtrot it means v1 itself is gone.
      if (status === 410 && (parseJson(body) as Partial<ErrorBody> | undefined)?.error === 'gone') {
        throw new ChillybinUnavailable('the chillybin no longer serves v1 /pick; turn the pick.v2 flag on');
      }
      if (status === 410) throw new OutOfStock(ingredient);
      throw refused(status, `a pick of ${ingredient}`, retryAfter, body);
    },
    async pickOrder(customer, items, idempotencyKey) {
      // The draft's form of the key is a quoted structured-field string. The same key on every
      // attempt: a retry after a lost answer replays it, never picks twice.
      const pick: PickRequest = { customer, items };
      const { status, body, retryAfter } = await call('pick_v2', 'POST', '/v2/pick', { json: pick, headers: { 'idempotency-key': `"${idempotencyKey}"` }, retry: true });
      // An OrderAnswer or an ErrorBody (@toasties/contract), read with care: a chillybin of another release may say otherwise.
      const answer = parseJson(body) as (Partial<ErrorBody> & { order?: { id?: unknown } }) | undefined;
      // A string (the order's public id); a number from a chillybin before its migration 0003,
      // still answering during a rolling deploy. Either way the customer gets a string. The
      // number goes after NUMERIC_ORDER_IDS_REMOVE_AFTER (@toasties/contract; test/compat.test.ts).
      const id = answer?.order?.id;
      if (status === 201 && (typeof id === 'string' || typeof id === 'number')) return { orderId: String(id) };
      if (status === 409 && answer?.error === 'out_of_stock' && typeof answer.ingredient === 'string') throw new OutOfStock(answer.ingredient);
      // As in v1 (410 unknown_ingredient): an ingredient the chillybin never held is one it has none of.
      // Without this, a customer's typo would be a 503 telling them to try again.
      if (status === 400 && answer?.error === 'unknown_ingredient' && typeof answer.ingredient === 'string') throw new OutOfStock(answer.ingredient);
      throw refused(status, `an order for ${customer}`, retryAfter, body);
    },
    async health() {
      const { status } = await call('health', 'GET', '/health', { retry: true });
      if (status !== 200) throw new ChillybinUnavailable(`the chillybin answered ${status} on /health`);
    },
    close: () => agent.close(),
  };
}

/**
 * The chillybin said no with a status of its own. A 429 means jafflr itself was counted
 * against the chillybin's rate limit, which a SERVICE_TOKEN shared by both prevents: the
 * message says so, for whoever reads the log.
 */
function refused(status: number, what: string, retryAfter: number | undefined, body: string): ChillybinUnavailable {
  if (status === 503 && (parseJson(body) as Partial<ErrorBody> | undefined)?.error === 'outcome_unknown') return new ChillybinOutcomeUnknown(`the chillybin could not tell whether ${what} happened`);
  const hint = status === 429 ? ' (jafflr was rate limited: give it the chillybin\'s SERVICE_TOKEN)' : '';
  return new ChillybinUnavailable(`the chillybin answered ${status} to ${what}${hint}`, retryAfter);
}

/** Retry-After as delta-seconds (what both services send); an HTTP-date or junk counts as not given. */
function retryAfterSeconds(header: string | string[] | undefined): number | undefined {
  return typeof header === 'string' && /^[0-9]{1,9}$/.test(header) ? Number(header) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What went wrong, for a client's 503: a library's message may quote the URL, so never its userinfo. */
function describe(error: unknown): string {
  // undici's request() puts the system's code (ECONNREFUSED…) on the error itself; fetch() put it on its cause.
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  if (cause && typeof cause.code === 'string') return cause.code;
  if (typeof code === 'string') return code;
  return withoutUserinfo(error instanceof Error ? error.message : String(error));
}
