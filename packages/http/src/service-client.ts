import { setTimeout as sleep } from 'node:timers/promises';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import { REQUEST_ID_HEADER } from '@toasties/observability/request-context';

// undici's entry point loads the whole of undici (fetch, WebSocket, caches, mocks); a service client
// needs only its Agent and request().
const Agent = require('undici/lib/dispatcher/agent') as typeof UndiciAgent;
const agentRequest = require('undici/lib/api/api-request') as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

export class ServiceUnavailable extends Error {
  constructor(message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

/** An answer past the size limit, or one that does not decode: nothing in it is trusted. */
export class ServiceBadAnswer extends ServiceUnavailable {}

export class ServiceTimeout extends Error {}

export interface ServiceClientOptions {
  readonly name: string;
  readonly baseUrl: string;
  readonly token: string | undefined;
  /** The whole call, every retry included, ends within this: then ServiceTimeout. */
  readonly timeoutMs: number;
  /** Most connections open at once; further calls queue for a free one, their deadline running. */
  readonly maxConnections: number;
  /** Past it the connection is destroyed at once: a service streaming without end costs a connection, not memory. */
  readonly maxAnswerBytes: number;
  readonly retries: number;
  /** Wait before the first retry; doubles each time (with jitter), capped at maxBackoffMs. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly onCall: (operation: string, outcome: string, seconds: number) => void;
}

export const defaults: Pick<ServiceClientOptions, 'retries' | 'backoffMs' | 'maxBackoffMs' | 'maxAnswerBytes' | 'onCall'> = {
  retries: 2,
  backoffMs: 50,
  maxBackoffMs: 400,
  maxAnswerBytes: 64 * 1024,
  onCall: () => undefined,
};

export interface CallOptions {
  readonly query?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Only for calls that are safe to repeat: a GET, a keyed write. Never one that could act twice. */
  readonly retry?: boolean;
  /** The id of the request this call is made for: the service called logs it under the same id. */
  readonly requestId?: string | undefined;
}

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly retryAfter: number | undefined;
}

export interface ServiceClient {
  call(operation: string, method: 'GET' | 'POST', path: string, options?: CallOptions): Promise<Answer>;
  close(): Promise<void>;
}

/** Answers worth another try: the service (or something in front of it) failed before doing anything it would keep. */
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

export function createServiceClient(options: Partial<ServiceClientOptions> & Pick<ServiceClientOptions, 'name' | 'baseUrl' | 'token' | 'timeoutMs' | 'maxConnections'>): ServiceClient {
  const { name, baseUrl, token, timeoutMs, maxConnections, maxAnswerBytes, retries, backoffMs, maxBackoffMs, onCall } = { ...defaults, ...options };
  // The idle timeout is below the server's own (node's default 5 s), so no call is sent on a
  // socket the service is closing. undici counts the body's bytes and destroys the socket
  // past maxResponseSize.
  const agent = new Agent({ keepAliveTimeout: 4000, keepAliveMaxTimeout: 4000, connections: maxConnections, maxResponseSize: maxAnswerBytes });

  async function send(method: 'GET' | 'POST', path: string, { query = {}, json, headers = {}, retry = false, requestId }: CallOptions): Promise<Answer> {
    // URLSearchParams encodes every value, so "vegemite&quantity=-1000" stays one value.
    const url = new URL(path, baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const body = json === undefined ? undefined : JSON.stringify(json);
    const sent = {
      ...headers,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(requestId && { [REQUEST_ID_HEADER]: requestId }),
      ...(token && { authorization: `Bearer ${token}` }),
    };
    // One timer for every attempt, cleared when the call ends: AbortSignal.timeout()'s timer
    // and signal outlive the call until they fire.
    const deadline = Date.now() + timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
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
          // undici's request() rather than fetch(): no WHATWG streams or Headers per call.
          const response = await agentRequest.call(agent, { origin: url.origin, path: `${url.pathname}${url.search}`, method, headers: sent, body, signal: controller.signal });
          // Always read the body: an unread body keeps its connection from being reused.
          const answer = { status: response.statusCode, headers: response.headers, body: await response.body.text(), retryAfter: retryAfterSeconds(response.headers['retry-after']) };
          if (RETRYABLE_STATUS.has(answer.status) && (await backoff(attempt))) continue;
          return answer;
        } catch (error) {
          if (controller.signal.aborted) throw new ServiceTimeout(`the ${name} did not answer ${method} ${path} within ${timeoutMs} ms`);
          if (codeOf(error) === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') throw new ServiceBadAnswer(`the ${name} answered ${method} ${path} with more than ${maxAnswerBytes} bytes; the answer was not read`);
          if (await backoff(attempt)) continue;
          throw new ServiceUnavailable(`the ${name} could not be reached (${codeOf(error) ?? 'no answer'})`);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async call(operation, method, path, callOptions = {}) {
      const started = performance.now();
      let outcome = 'unreachable';
      try {
        const answer = await send(method, path, callOptions);
        outcome = String(answer.status);
        return answer;
      } catch (error) {
        if (error instanceof ServiceTimeout) outcome = 'timeout';
        if (error instanceof ServiceBadAnswer) outcome = 'bad_answer';
        throw error;
      } finally {
        onCall(operation, outcome, (performance.now() - started) / 1000);
      }
    },
    close: () => agent.close(),
  };
}

/** Retry-After as delta-seconds (what these services send); an HTTP-date or junk counts as not given. */
function retryAfterSeconds(header: string | string[] | undefined): number | undefined {
  return typeof header === 'string' && /^[0-9]{1,9}$/.test(header) ? Number(header) : undefined;
}

/** The code, never the message: a message may quote the URL, and a URL may carry a credential. */
function codeOf(error: unknown): string | undefined {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  if (cause && typeof cause.code === 'string') return cause.code;
  return typeof code === 'string' ? code : undefined;
}
