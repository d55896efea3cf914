import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository these tests belong to. */
export const repoRoot = resolve(__dirname, '../../../..');

export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a command to completion (bounded by `timeoutMs`) and keep what it printed. */
export function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Ran {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    input: options.input,
    maxBuffer: 64 * 1024 * 1024,
  });
  // A timeout or a failed start: what the command printed until then says why.
  if (result.error) {
    const printed = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-60).join('\n');
    throw new Error(`${command} ${args.join(' ')}: ${result.error.message}\n--- its output (last lines) ---\n${printed}`, { cause: result.error });
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Run a command that must succeed; its trimmed stdout. */
export function output(command: string, args: readonly string[], options: Parameters<typeof run>[2] = {}): string {
  const result = run(command, args, options);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  return result.stdout.trim();
}
