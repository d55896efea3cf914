import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './wait-for';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first output line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited. */
  waitForExit(timeoutMs?: number): Promise<Exit>;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

const running = new Set<ChildProcess>();

/** Start a command; its output is captured, and it is killed by stopAllProcesses(). */
export function spawnProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      running.delete(child);
      resolve(exit);
    });
  });

  async function waitForExit(timeoutMs = 15_000): Promise<Exit> {
    await waitFor(() => exit, { timeoutMs, what: `exit of pid ${child.pid}` });
    return exited;
  }

  return {
    child,
    pid: child.pid ?? -1,
    output: () => text,
    waitForLine: (pattern, timeoutMs = 15_000) =>
      waitFor(() => (exit ? Promise.reject(new Error(`exited (${exit.code ?? exit.signal}) with output:\n${text}`)) : text.split('\n').find((line) => pattern.test(line))), {
        timeoutMs,
        what: `a line matching ${pattern}`,
      }).catch((error: Error) => {
        throw new Error(`${error.message}\n--- output so far ---\n${text}`);
      }),
    waitForExit,
    stop: async (signal = 'SIGTERM', timeoutMs = 15_000) => {
      if (!exit) child.kill(signal);
      return waitForExit(timeoutMs);
    },
  };
}

/** For afterAll: no test leaves a process behind, whatever happened. */
export async function stopAllProcesses(): Promise<void> {
  const children = [...running];
  for (const child of children) child.kill('SIGKILL');
  await waitFor(() => children.every((child) => !running.has(child)), { timeoutMs: 5000, what: 'processes to end' });
}
