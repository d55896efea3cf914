import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  test('writes one JSON object per line, naming the service and version', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'jafflr', version: 'abc123', level: 'info', format: 'json', destination }).info({ port: 7000 }, 'listening');
    expect(lines).toEqual([expect.objectContaining({ service: 'jafflr', version: 'abc123', port: 7000, msg: 'listening', level: 30 })]);
  });

  test('drops lines below the level', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 's', version: 'v', level: 'warn', format: 'json', destination });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((line) => line.msg)).toEqual(['loud']);
  });
});
