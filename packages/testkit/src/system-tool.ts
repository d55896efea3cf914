import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface SystemTool {
  readonly command: string;
  readonly install: string;
  /** After PATH: Debian installs some programs off it (PostgreSQL's server in /usr/lib/postgresql/<version>/bin). */
  readonly searchDirs?: readonly string[];
  /** For a tool that is no command on PATH (unleash-server): its path, or undefined. Replaces the PATH search. */
  readonly locate?: (env: NodeJS.ProcessEnv) => string | undefined;
}

export type ToolCheck =
  | { readonly verdict: 'run'; readonly path: string }
  | { readonly verdict: 'skip'; readonly line: string }
  | { readonly verdict: 'fail'; readonly message: string };

export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env, searchDirs: readonly string[] = []): string | undefined {
  for (const dir of [...(env.PATH ?? '').split(delimiter), ...searchDirs]) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}

/** Any non-empty CI other than "false"/"0", as CI services set it (CI=true, CI=1). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = (env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/** A laptop without it skips, with one line saying what to install; under CI a missing tool fails, because
 * .ci/run installs every tool and a skip there would hide a check that never ran. */
export function checkTool(tool: SystemTool, env: NodeJS.ProcessEnv = process.env): ToolCheck {
  const path = tool.locate ? tool.locate(env) : findOnPath(tool.command, env, tool.searchDirs);
  if (path) return { verdict: 'run', path };
  if (isCi(env)) return { verdict: 'fail', message: `${tool.command} is not installed, and CI must run these tests: ${tool.install} (.ci/run does it)` };
  return { verdict: 'skip', line: `skipped: ${tool.command} is not installed; to run these tests: ${tool.install}` };
}

/** Skipped with one line on stderr where the tool is missing, or under CI one failing test naming it. */
export function describeWithTool(tools: SystemTool | readonly SystemTool[], name: string, body: () => void): void {
  const checks = ([] as SystemTool[]).concat(tools).map((tool) => checkTool(tool));
  const failed = checks.flatMap((check) => (check.verdict === 'fail' ? [check.message] : []));
  const skipped = checks.flatMap((check) => (check.verdict === 'skip' ? [check.line] : []));
  if (failed.length > 0) {
    describe(name, () => {
      test('has the system tools it needs', () => {
        throw new Error(failed.join('\n'));
      });
    });
  } else if (skipped.length > 0) {
    // Straight to stderr: jest's console capture would wrap it in a stack-trace frame.
    for (const line of skipped) process.stderr.write(`${line} (${name})\n`);
    describe.skip(name, body);
  } else {
    describe(name, body);
  }
}
