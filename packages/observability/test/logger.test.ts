import { createLogger } from '../src';
import { captureLines as capture } from './capture';

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

  test('reads no environment variable: LOG_FORMAT comes through the service config as `format`', () => {
    const { lines, destination } = capture();
    const before = process.env.LOG_FORMAT;
    process.env.LOG_FORMAT = 'pretty';
    try {
      // Not a terminal (jest's stdout is a pipe), no format given: JSON, whatever the environment says.
      createLogger({ service: 's', version: 'v', level: 'info', destination }).info({}, 'hello');
    } finally {
      if (before === undefined) delete process.env.LOG_FORMAT;
      else process.env.LOG_FORMAT = before;
    }
    expect(lines).toEqual([expect.objectContaining({ msg: 'hello' })]);
  });
});
