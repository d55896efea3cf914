import { setTimeout as sleep } from 'node:timers/promises';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import { REQUEST_ID_HEADER } from '@toasties/observability/request-context';

// undici's entry point loads the whole of undici (fetch, WebSocket, caches, mocks); a service client
// needs only its Agent.
const Agent = require('undici/lib/dispatcher/agent') as typeof UndiciAgent;

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

  const origin = new URL(baseUrl).origin;

  async function send(method: 'GET' | 'POST', path: string, { query, json, headers = {}, retry = false, requestId }: CallOptions): Promise<Answer> {
    // URLSearchParams encodes every value, so "vegemite&quantity=-1000" stays one value.
    const target = query === undefined ? path : `${path}?${new URLSearchParams(query).toString()}`;
    const body = json === undefined ? undefined : JSON.stringify(json);
    const sent = {
      ...headers,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(requestId && { [REQUEST_ID_HEADER]: requestId }),
      ...(token && { authorization: `Bearer ${token}` }),
    };
    // One timer for every attempt, cleared when the call ends; it gives up the attempt in flight.
    const deadline = Date.now() + timeoutMs;
    let current: AnswerCollector | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      current?.giveUp();
    }, timeoutMs);
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
          if (timedOut) throw new Error('deadline passed');
          const answer = await new Promise<Answer>((resolve, reject) => {
            current = new AnswerCollector(resolve, reject);
            agent.dispatch({ origin, path: target, method, headers: sent, body }, current);
          });
          if (RETRYABLE_STATUS.has(answer.status) && (await backoff(attempt))) continue;
          return answer;
        } catch (error) {
          if (timedOut) throw new ServiceTimeout(`the ${name} did not answer ${method} ${path} within ${timeoutMs} ms`);
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

/**
 * One attempt's answer, read whole into memory as it arrives (the agent destroys the socket past
 * maxAnswerBytes): the answers are small, so no stream, abort signal or async resource per call.
 */
class AnswerCollector implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private status = 0;
  private headers: Answer['headers'] = {};
  private readonly chunks: Buffer[] = [];
  private settled = false;

  constructor(
    private readonly resolve: (answer: Answer) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  /** At the deadline: the call fails now, and the request stops whether it is on a socket or still waiting for one. */
  giveUp(): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(new Error('gave up'));
    this.controller?.abort(new Error('gave up'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.settled) controller.abort(new Error('gave up'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Answer['headers']): void {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    const { status, headers } = this;
    this.resolve({ status, headers, body: Buffer.concat(this.chunks).toString('utf8'), retryAfter: retryAfterSeconds(headers['retry-after']) });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
  }
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
