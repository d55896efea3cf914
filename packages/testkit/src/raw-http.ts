import { connect } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One final response out of what has arrived so far, or undefined if it is not all there yet (1xx skipped). */
function parseAnswer(received: string, closed: boolean): RawAnswer | undefined {
  let rest = received;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    rest = rest.slice(end + 4);
    if (status >= 100 && status < 200) continue; // 100 Continue: the answer is still to come
    const length = headers['content-length'];
    if (length !== undefined) return Buffer.byteLength(rest) >= Number(length) ? { status, headers, body: rest.slice(0, Number(length)) } : undefined;
    return closed ? { status, headers, body: rest } : undefined;
  }
}

/** For requests a real client would refuse to send. The socket stays open after `text`, so an answer must
 * come from the server; rejects after `timeoutMs`, or if the server closes with no answer. */
export function rawHttp(port: number, text: string, timeoutMs = 30_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const finish = (outcome: RawAnswer | Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(text.slice(0, 80))}`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const answer = parseAnswer(received, false);
      if (answer) finish(answer);
    });
    socket.on('close', () => finish(parseAnswer(received, true) ?? new Error(`the connection closed with no answer to ${JSON.stringify(text.slice(0, 80))} (got ${JSON.stringify(received)})`)));
    socket.on('error', () => undefined); // a reset shows up as the close above
    socket.write(text);
  });
}
