import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody, statusOf, type ErrorCode } from '@toasties/contract';

// node's own answers before express sees a request (431, 400, 408, 417, a method it cannot parse,
// CONNECT), in the shared error shape instead of an empty body or a closed socket.
/** llhttp's codes: the status node itself would send, or a better one. */
function answerTo(code: string | undefined): [ErrorCode, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return ['headers_too_large', 'the request headers are too large'];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return ['payload_too_large', 'the chunk extensions are too large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return ['request_timeout', 'the request did not arrive in time'];
    case 'HPE_INVALID_METHOD':
      return notImplemented('this method');
    default:
      return ['bad_request', 'the request is not valid HTTP/1.1'];
  }
}

// RFC 9110 §15.6.2: a method the server supports for no resource at all is 501, not 405.
const notImplemented = (method: string): [ErrorCode, string] => ['method_not_implemented', `${method} is not supported here; use GET or POST`];

/** Ends with a newline, like every JSON answer of createJsonApp. */
function jsonBody(code: ErrorCode, message: string): string {
  return `${JSON.stringify(errorBody(code, message))}\n`;
}

function rawResponse(code: ErrorCode, message: string): string {
  const status = statusOf(code);
  const body = jsonBody(code, message);
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

function answerOnSocket(socket: Duplex, [code, message]: [ErrorCode, string]): void {
  socket.end(rawResponse(code, message), () => socket.destroy());
}

function answerOnResponse(res: ServerResponse, code: ErrorCode, message: string): void {
  const body = jsonBody(code, message);
  res.writeHead(statusOf(code), { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

export function answerProtocolErrorsAsJson(server: Server): void {
  // A response already under way on a socket must not have another written into it.
  const answering = new WeakMap<object, ServerResponse>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => answering.set(req.socket, res));

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inProgress = answering.get(socket);
    if (error.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) return void socket.destroy();
    answerOnSocket(socket, answerTo(error.code));
  });

  // CONNECT asks for a tunnel; without this listener node closes the socket with no answer.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => answerOnSocket(socket, notImplemented('CONNECT')));

  // An Expect other than 100-continue (RFC 9110 §10.1.1).
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    answerOnResponse(res, 'expectation_failed', `Expect: ${String(req.headers.expect)} is not supported; only 100-continue is`);
  });

  // node answers a missing Host with an empty 400 of its own, checking the server's
  // `requireHostHeader` (its createServer option) on each request; the app says it in JSON
  // instead (requireHost in json-app.ts, which every app built by createJsonApp has).
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
}
