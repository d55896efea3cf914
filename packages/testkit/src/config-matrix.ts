import { spawnProcess } from './process';
/** Whatever else is in the environment, each bad variable is its one line and nothing else is said. */
export interface ConfigMatrix {
  /** One bad value per variable the service reads; a variable that takes any text has none. */
  readonly badValues: Readonly<Record<string, string>>;
  /** Another service's flag (`npm start` gives both services one environment). */
  readonly foreignFlag: string;
}

export interface ConfigCase {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  readonly expected: readonly string[];
}

const PORTS: readonly (string | undefined)[] = [undefined, '0', '7005'];

export function configMatrix({ badValues, foreignFlag }: ConfigMatrix): ConfigCase[] {
  const mistakes: readonly [string, Record<string, string>, string[]][] = [
    ['no flag mistake', {}, []],
    [`${foreignFlag}=true (another service's flag, a value no flag takes)`, { [foreignFlag]: 'true' }, [foreignFlag]],
    ['FLAG_PICKV2=gita (a flag no service reads)', { FLAG_PICKV2: 'gita' }, ['FLAG_PICKV2']],
  ];
  const cases: ConfigCase[] = [];
  for (const [variable, value] of Object.entries(badValues)) {
    for (const [mistake, mistakeEnv, mistakeLines] of mistakes) {
      for (const port of PORTS) {
        const env = { ...(port === undefined ? {} : { PORT: port }), ...mistakeEnv, [variable]: value };
        const expected = [...new Set([variable, ...mistakeLines])].sort();
        cases.push({ name: `${variable}=${JSON.stringify(value)}, ${mistake}, PORT ${port ?? 'unset'}`, env, expected });
      }
    }
  }
  return cases;
}

export function variablesNamed(problems: readonly string[]): string[] {
  return problems.map((line) => line.slice(0, line.indexOf(':'))).sort();
}

export interface ConfigLinesSuite extends ConfigMatrix {
  readonly problems: (env: Readonly<Record<string, string>>) => readonly string[];
  /** Started once with a foreign flag's bad value beside PORT=0. */
  readonly main: string;
  readonly processEnv?: Readonly<Record<string, string>>;
  readonly flags: readonly string[];
  readonly flagNames: readonly string[];
}

export function describeConfigLines({ problems, main, processEnv = {}, flags, flagNames, ...matrix }: ConfigLinesSuite): void {
  describe('a bad configuration value always gives its one line', () => {
    test.each(configMatrix(matrix).map((c) => [c.name, c] as const))('%s', (_name, { env, expected }) => {
      expect(variablesNamed(problems(env))).toEqual(expected);
    });

    test(`as a process: ${matrix.foreignFlag}=true beside PORT=0 is one line on stderr and exit 1, no stack trace`, async () => {
      const proc = spawnProcess(process.execPath, [main], { ...processEnv, [matrix.foreignFlag]: 'true', PORT: '0' });
      expect((await proc.waitForExit()).code).toBe(1);
      expect(proc.output().trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^config error: ${matrix.foreignFlag}: must be on, off, `))]);
    });
  });

  describe('every flag this service reads is named in @toasties/contract', () => {
    // Otherwise the other service would refuse its variable as a flag no service reads.
    test.each(flags)('%s', (flag) => {
      expect(flagNames).toContain(flag);
    });
  });
}
