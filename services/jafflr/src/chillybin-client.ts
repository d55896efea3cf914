import { Agent, fetch } from 'undici';
import { currentRequestId, REQUEST_ID_HEADER } from '@toasties/observability';

/** The chillybin said it has not got (enough of) this ingredient. */
export class OutOfStock extends Error {
  constructor(readonly ingredient: string) {
    super(`the chillybin has run out of ${ingredient}`);
  }
}

/** The chillybin could not be reached, or answered with an error of its own. */
export class ChillybinUnavailable extends Error {}

/** The chillybin did not answer within the timeout. */
export class ChillybinTimeout extends Error {}

export interface ChillybinClientOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** Told of every call: which (`pick`, `pick_v2`, `health`), its outcome (a status, or `timeout`/`unreachable`) and seconds. */
  readonly onCall?: (operation: string, outcome: string, seconds: number) => void;
}

export interface PickItem {
  readonly ingredient: string;
  readonly quantity: number;
}

export interface ChillybinClient {
  /** v1: take `quantity` of one ingredient. Throws OutOfStock, ChillybinUnavailable or ChillybinTimeout. */
  pick(ingredient: string, quantity: number): Promise<void>;
  /**
   * v2: take every item at once for a customer, all or nothing, recorded as an order. The
   * Idempotency-Key makes a retry of this call safe. Resolves with the order id; throws
   * OutOfStock (nothing was taken), ChillybinUnavailable or ChillybinTimeout.
   */
  pickOrder(customer: string, items: readonly PickItem[], idempotencyKey: string): Promise<{ orderId: number }>;
  /** Resolves if the chillybin is alive; used by jafflr's readiness. */
  health(): Promise<void>;
  /** Closes the kept-alive connections (on shutdown). */
  close(): Promise<void>;
}

export function createChillybinClient({ baseUrl, timeoutMs, onCall = () => undefined }: ChillybinClientOptions): ChillybinClient {
  // Connections are kept alive and reused. The idle timeout is below the server's own
  // (Node's default 5 s), so jafflr never sends on a socket the chillybin is closing.
  const agent = new Agent({ keepAliveTimeout: 4000, keepAliveMaxTimeout: 4000 });

  interface CallOptions {
    readonly query?: Record<string, string>;
    readonly json?: unknown;
    readonly headers?: Record<string, string>;
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

  async function send(method: 'GET' | 'POST', path: string, { query = {}, json, headers = {} }: CallOptions) {
    // URLSearchParams encodes every value, so "vegemite&quantity=-1000" stays one value.
    const url = new URL(path, baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const body = json === undefined ? undefined : JSON.stringify(json);
    if (body !== undefined) headers = { ...headers, 'content-type': 'application/json' };
    // The same request id in both services' logs: one toastie, followed across the hop.
    const requestId = currentRequestId();
    if (requestId) headers = { ...headers, [REQUEST_ID_HEADER]: requestId };
    let response;
    try {
      response = await fetch(url, { method, headers, body, dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
      // Always read the body: an unread body keeps its connection from being reused.
      return { status: response.status, body: await response.text() };
    } catch (error) {
      if (isTimeout(error)) {
        throw new ChillybinTimeout(`the chillybin did not answer ${method} ${path} within ${timeoutMs} ms`);
      }
      throw new ChillybinUnavailable(`the chillybin could not be reached (${describe(error)})`);
    }
  }

  return {
    async pick(ingredient, quantity) {
      const { status, body } = await call('pick', 'POST', '/pick', { query: { name: ingredient, quantity: String(quantity) } });
      if (status === 200) return;
      // 410 meant "none left" in v1; after step 3 of the foxtrot it means v1 itself is gone.
      if (status === 410 && (parseJson(body) as { error?: unknown } | undefined)?.error === 'gone') {
        throw new ChillybinUnavailable('the chillybin no longer serves v1 /pick; turn the pick.v2 flag on');
      }
      if (status === 410) throw new OutOfStock(ingredient);
      throw new ChillybinUnavailable(`the chillybin answered ${status} to a pick of ${ingredient}`);
    },
    async pickOrder(customer, items, idempotencyKey) {
      // The draft's form of the key is a quoted structured-field string.
      const { status, body } = await call('pick_v2', 'POST', '/v2/pick', { json: { customer, items }, headers: { 'idempotency-key': `"${idempotencyKey}"` } });
      const answer = parseJson(body) as { order?: { id?: unknown }; error?: unknown; ingredient?: unknown } | undefined;
      if (status === 201 && typeof answer?.order?.id === 'number') return { orderId: answer.order.id };
      if (status === 409 && answer?.error === 'out_of_stock' && typeof answer.ingredient === 'string') throw new OutOfStock(answer.ingredient);
      throw new ChillybinUnavailable(`the chillybin answered ${status} to an order for ${customer}`);
    },
    async health() {
      const { status } = await call('health', 'GET', '/health');
      if (status !== 200) throw new ChillybinUnavailable(`the chillybin answered ${status} on /health`);
    },
    close: () => agent.close(),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** AbortSignal.timeout() rejects with a DOMException named TimeoutError (not always an Error instance). */
function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'TimeoutError';
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}
