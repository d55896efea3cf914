import { spawnProcess, type RunningProcess } from './process';

export interface RunningService extends RunningProcess {
  readonly port: number;
  readonly url: string;
}

/**
 * Start a service's compiled main with PORT=0 (the kernel picks a free port, so tests
 * never race for one) and wait for its "listening" log line, which names the port.
 */
export async function startService(mainScript: string, env: NodeJS.ProcessEnv = {}, args: readonly string[] = []): Promise<RunningService> {
  const proc = spawnProcess(process.execPath, [...args, mainScript], { PORT: '0', LOG_FORMAT: 'json', ...env });
  const line = await proc.waitForLine(/"msg":"listening"/);
  const { port } = JSON.parse(line) as { port: number };
  return { ...proc, port, url: `http://127.0.0.1:${port}` };
}
