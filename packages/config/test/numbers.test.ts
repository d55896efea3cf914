import { decimal, integer, loadConfig, milliseconds } from '../src/index';
import { z } from 'zod';

// Every numeric setting goes through integer(), milliseconds() or decimal(): one schema
// here stands for all of them (PORT, WORKERS, *_MS, RATE_LIMIT_PER_MINUTE, COOK_TIME_SCALE …).
const schema = z.object({
  PORT: integer(0, 65535).optional(),
  WORKERS: integer(0, 64).optional(),
  SHUTDOWN_TIMEOUT_MS: milliseconds().optional(),
  COOK_TIME_SCALE: decimal(0, 10).optional(),
});

function accepts(name: string, value: string): unknown {
  return (loadConfig(schema, { [name]: value }) as Record<string, unknown>)[name];
}

function refuses(name: string, value: string): string {
  try {
    loadConfig(schema, { [name]: value });
  } catch (error) {
    const problems = (error as { problems: readonly string[] }).problems;
    expect(problems).toHaveLength(1);
    return problems[0]!;
  }
  throw new Error(`${name}=${JSON.stringify(value)} was accepted`);
}

describe('whole numbers (PORT, WORKERS, every *_MS, *_SECONDS and RATE_LIMIT_PER_MINUTE)', () => {
  test.each<[string, string, number]>([
    ['PORT', '7005', 7005],
    ['PORT', '0', 0],
    ['PORT', '65535', 65535],
    ['PORT', '08080', 8080],
    ['WORKERS', '2', 2],
    ['SHUTDOWN_TIMEOUT_MS', '3600000', 3_600_000],
  ])('%s=%j is %d', (name, value, expected) => {
    expect(accepts(name, value)).toBe(expected);
  });

  test.each<[string, string, string]>([
    ['PORT', '0x1F41', 'hexadecimal'],
    ['PORT', '0o17', 'octal'],
    ['PORT', '0b101', 'binary'],
    ['PORT', ' 7005 ', 'blanks around'],
    ['PORT', '7005\n', 'a newline after'],
    ['PORT', '70 05', 'a blank inside'],
    ['PORT', '+7005', 'a sign'],
    ['PORT', '-0', 'a negative zero'],
    ['PORT', '7_005', 'a digit separator'],
    ['PORT', '７００５', 'fullwidth digits'],
    ['PORT', '70000', 'out of range'],
    ['WORKERS', '1.0', 'a decimal point'],
    ['WORKERS', '1.', 'a trailing point'],
    ['WORKERS', '-1', 'a negative number'],
    ['SHUTDOWN_TIMEOUT_MS', '1e3', 'an exponent'],
    ['SHUTDOWN_TIMEOUT_MS', 'Infinity', 'Infinity'],
    ['SHUTDOWN_TIMEOUT_MS', ' ', 'only a blank'],
    ['SHUTDOWN_TIMEOUT_MS', '99999999999999999999999', 'too many digits'],
  ])('%s=%j (%s) is one config line naming the variable', (name, value) => {
    expect(refuses(name, value)).toMatch(new RegExp(`^${name}: must be a whole number from \\d+ to \\d+ `));
  });
});

describe('fractional numbers (COOK_TIME_SCALE)', () => {
  test.each<[string, number]>([
    ['1', 1],
    ['0', 0],
    ['0.5', 0.5],
    ['10', 10],
    ['2.25', 2.25],
  ])('COOK_TIME_SCALE=%j is %d', (value, expected) => {
    expect(accepts('COOK_TIME_SCALE', value)).toBe(expected);
  });

  test.each<[string, string]>([
    [' ', 'only a blank: it used to be 0, as fast as tests'],
    ['\t', 'a tab'],
    [' 1', 'a blank before'],
    ['.5', 'no digit before the point'],
    ['5.', 'no digit after the point'],
    ['1e0', 'an exponent'],
    ['0x1', 'hexadecimal'],
    ['-0', 'a sign'],
    ['1,5', 'a decimal comma'],
    ['NaN', 'NaN'],
    ['11', 'out of range'],
  ])('COOK_TIME_SCALE=%j (%s) is one config line', (value) => {
    expect(refuses('COOK_TIME_SCALE', value)).toMatch(/^COOK_TIME_SCALE: must be a number from 0 to 10 /);
  });
});
