import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

export interface FakeUnleash {
  /** The base URL to give the client (the server's /api). */
  readonly url: string;
  readonly received: Received[];
  /** What GET /api/client/features answers from now on. */
  features: unknown[];
  /** Answer the features request with this status instead (401: a refused token). */
  refuseWith: number | undefined;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

/**
 * A local stand-in for an Unleash server at the edge of the flags tests: it serves the
 * client API (features, register, metrics) the way Unleash does, so the real
 * unleash-client can poll it, and records what the client sent.
 */
export async function startFakeUnleash(): Promise<FakeUnleash> {
  const received: Received[] = [];
  const state: { features: unknown[]; refuseWith: number | undefined } = { features: [], refuseWith: undefined };
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://unleash').pathname;
    received.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body: await bodyOf(req) });
    if (state.refuseWith) {
      res.writeHead(state.refuseWith).end();
    } else if (req.method === 'GET' && path === '/api/client/features') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: 2, features: state.features }));
    } else if (req.method === 'POST' && (path === '/api/client/register' || path === '/api/client/metrics')) {
      res.writeHead(202).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    received,
    get features() {
      return state.features;
    },
    set features(features) {
      state.features = features;
    },
    get refuseWith() {
      return state.refuseWith;
    },
    set refuseWith(status) {
      state.refuseWith = status;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
