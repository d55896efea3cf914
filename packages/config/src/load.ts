import * as z from 'zod';
import { withoutUserinfo } from './userinfo';

/** Every problem found in the environment, one line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** An empty variable (`PORT=`) means "not set", not zero. */
function withoutEmpty(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
}

/** Never shown, not even when wrong. */
const SECRET = /(TOKEN|SECRET|PASSWORD)$/;

function describe(issue: z.core.$ZodIssue, env: Env): string {
  const name = issue.path.map(String).join('.') || '(environment)';
  const value = env[name];
  const got = value === undefined ? '' : SECRET.test(name) ? ` (got ${value.length} characters, not shown)` : ` (got ${JSON.stringify(withoutUserinfo(value))})`;
  return `${name}: ${issue.message}${got}`;
}

export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const cleaned = withoutEmpty(env);
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => describe(issue, cleaned));
  throw new ConfigError([...new Set(lines)]);
}

export function configProblems<S extends z.ZodType>(schema: S, env: Env): readonly string[] {
  try {
    loadConfig(schema, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** A bad variable is one line on stderr and exit 1, never a stack trace. */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
    process.exit(1);
  }
}
