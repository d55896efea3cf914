import { Writable } from 'node:stream';

/** A destination for a JSON logger that keeps each line, parsed, for assertions. */
export function captureLines() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, destination };
}
