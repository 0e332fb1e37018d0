/*
 * The stand-in for Meta's Cloud API, seen from the bench: a child process
 * (standInProcess.ts) driven over IPC, so that its memory and event loop
 * are not the backend's.
 */
import { ChildProcess, fork } from 'node:child_process';

export interface StandInConfig {
  latencyMs: number;
  /** accept: 200 with a message id; fail: 500 with Graph error 130429. */
  mode: 'accept' | 'fail';
}

/** What the stand-in saw since it was last configured. */
export interface StandInStats {
  requests: number;
  distinct: number;
  /** Requests for a message id it had already seen. */
  duplicates: number;
  /** Seconds from the first to the last request. */
  spanSeconds: number;
  /** Requests per second between the 10th and the 90th percent of them. */
  steadyRate: number;
  /** Most requests that arrived within any one second. */
  peakPerSecond: number;
}

export class StandIn {
  private next = 1;
  private readonly waiting = new Map<number, (body: any) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.on('message', (message: { id?: unknown; body?: unknown }) => {
      if (typeof message?.id === 'number' && this.waiting.has(message.id)) {
        this.waiting.get(message.id)!(message.body);
        this.waiting.delete(message.id);
      }
    });
  }

  static async start(): Promise<StandIn> {
    const child = fork(require.resolve('./standInProcess'), [], {
      execArgv: process.execArgv.filter(a => a !== '--expose-gc'),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // The transform of the TypeScript sources sends messages of its own.
    const port = await new Promise<number>((resolve, reject) => {
      const ready = (m: { id?: unknown; body?: unknown }) => {
        if (m?.id === 0 && typeof m.body === 'number') {
          child.off('message', ready);
          resolve(m.body);
        }
      };
      child.on('message', ready);
      child.once('exit', code => reject(new Error(`stand-in exited ${code}`)));
    });
    return new StandIn(child, `http://127.0.0.1:${port}`);
  }

  private call<T>(type: string, config?: StandInConfig): Promise<T> {
    const id = this.next++;
    return new Promise<T>(resolve => {
      this.waiting.set(id, resolve);
      this.child.send({ id, type, config });
    });
  }

  configure(config: StandInConfig) {
    return this.call<string>('configure', config);
  }

  switchTo(config: StandInConfig) {
    return this.call<string>('mode', config);
  }

  reset() {
    return this.call<string>('reset');
  }

  stats() {
    return this.call<StandInStats>('stats');
  }

  async stop() {
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    this.child.send({ id: 0, type: 'exit' });
    await exited;
  }
}
