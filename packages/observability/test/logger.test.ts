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
});
