import { Agent, fetch } from 'undici';

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
}

export interface ChillybinClient {
  /** v1: take `quantity` of one ingredient. Throws OutOfStock, ChillybinUnavailable or ChillybinTimeout. */
  pick(ingredient: string, quantity: number): Promise<void>;
  /** Resolves if the chillybin is alive; used by jafflr's readiness. */
  health(): Promise<void>;
  /** Closes the kept-alive connections (on shutdown). */
  close(): Promise<void>;
}

export function createChillybinClient({ baseUrl, timeoutMs }: ChillybinClientOptions): ChillybinClient {
  // Connections are kept alive and reused. The idle timeout is below the server's own
  // (Node's default 5 s), so jafflr never sends on a socket the chillybin is closing.
  const agent = new Agent({ keepAliveTimeout: 4000, keepAliveMaxTimeout: 4000 });

  async function call(method: 'GET' | 'POST', path: string, query: Record<string, string> = {}) {
    // URLSearchParams encodes every value, so "vegemite&quantity=-1000" stays one value.
    const url = new URL(path, baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    let response;
    try {
      response = await fetch(url, { method, dispatcher: agent, signal: AbortSignal.timeout(timeoutMs) });
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
      const { status } = await call('POST', '/pick', { name: ingredient, quantity: String(quantity) });
      if (status === 200) return;
      if (status === 410) throw new OutOfStock(ingredient);
      throw new ChillybinUnavailable(`the chillybin answered ${status} to a pick of ${ingredient}`);
    },
    async health() {
      const { status } = await call('GET', '/health');
      if (status !== 200) throw new ChillybinUnavailable(`the chillybin answered ${status} on /health`);
    },
    close: () => agent.close(),
  };
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
