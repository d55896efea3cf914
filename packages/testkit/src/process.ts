import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { GiveUp, waitFor } from './wait-for';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The output so far (stdout and stderr; the last 10,000 lines). */
  output(): string;
  /** Resolves with the first output line, so far or to come, matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the first line matching `pattern` that arrives after this call. */
  waitForNextLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  waitForExit(timeoutMs?: number): Promise<Exit>;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

/** Enough for any test to read back; a busy service under load writes far more. */
const KEPT_LINES = 10_000;

const running = new Set<ChildProcess>();

export interface SpawnOptions {
  /** A process group of its own, so a terminal's Ctrl-C reaches the script alone (a second signal would force
   * the services out undrained); stdin is a pipe that closes if the caller dies (stop-when-orphaned.cjs). */
  readonly ownProcessGroup?: boolean;
}

/** Its output is captured, and stopAllProcesses() kills it. */
export function spawnProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, { ownProcessGroup = false }: SpawnOptions = {}): RunningProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: [ownProcessGroup ? 'pipe' : 'ignore', 'pipe', 'pipe'], detached: ownProcessGroup });
  running.add(child);
  const lines: string[] = [];
  let linesSeen = 0;
  let partial = '';
  const collect = (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    linesSeen += parts.length;
    if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      running.delete(child);
      resolve(exit);
    });
  });
  const output = () => [...lines, partial].join('\n');

  /** Lines numbered from the first ever seen, so a search can start after a given one. */
  async function lineFrom(firstLine: number, pattern: RegExp, timeoutMs: number): Promise<string> {
    let next = firstLine;
    try {
      return await waitFor(
        () => {
          const start = Math.max(0, lines.length - (linesSeen - next));
          const found = lines.slice(start).find((line) => pattern.test(line));
          next = linesSeen;
          if (found) return found;
          if (exit) throw new GiveUp(`exited (${exit.code ?? exit.signal})`);
          return undefined;
        },
        { timeoutMs, what: `a line matching ${pattern}` },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- output (last lines) ---\n${lines.slice(-40).join('\n')}`, { cause: error });
    }
  }

  async function waitForExit(timeoutMs = 30_000): Promise<Exit> {
    await waitFor(() => exit, { timeoutMs, what: `exit of pid ${child.pid}` });
    return exited;
  }

  return {
    child,
    pid: child.pid ?? -1,
    output,
    waitForLine: (pattern, timeoutMs = 60_000) => lineFrom(0, pattern, timeoutMs),
    waitForNextLine: (pattern, timeoutMs = 60_000) => lineFrom(linesSeen, pattern, timeoutMs),
    waitForExit,
    stop: async (signal = 'SIGTERM', timeoutMs = 30_000) => {
      if (!exit) child.kill(signal);
      return waitForExit(timeoutMs);
    },
  };
}

/** Killed with it: a worker whose primary is killed finishes what it holds first, too slow for a test's
 * clean-up. Without pgrep, the orphans still exit within their shutdown timeout. */
function childrenOf(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const found = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.split('\n').filter(Boolean).map(Number) : [];
}

export function descendantsOf(pid: number): number[] {
  return childrenOf(pid).flatMap((child) => [child, ...descendantsOf(child)]);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** For afterAll: no test leaves a process behind, whatever happened. */
export async function stopAllProcesses(): Promise<void> {
  const children = [...running];
  for (const child of children) {
    for (const pid of childrenOf(child.pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    child.kill('SIGKILL');
  }
  await waitFor(() => children.every((child) => !running.has(child)), { timeoutMs: 5000, what: 'processes to end' });
}
