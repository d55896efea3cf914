/**
 * A bad value of every variable, beside each kind of flag mistake and with and without a port
 * set: whatever else is in the environment, each bad variable is its one line and nothing
 * else is said. `problems` is the service's configProblems (from @toasties/config).
 */
export interface ConfigMatrix {
  /** One bad value per variable the service reads; a variable that takes any text has none. */
  readonly badValues: Readonly<Record<string, string>>;
  /** Another service's flag (`npm start` gives both services one environment). */
  readonly foreignFlag: string;
}

export interface ConfigCase {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
  /** The variables that must each have one line, and no other. */
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

/** The variable each problem line names (`PORT: must be …` → PORT), sorted. */
export function variablesNamed(problems: readonly string[]): string[] {
  return problems.map((line) => line.slice(0, line.indexOf(':'))).sort();
}
