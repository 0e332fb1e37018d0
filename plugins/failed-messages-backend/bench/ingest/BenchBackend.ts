import { ChildProcess, fork } from 'node:child_process';
import type {
  BackendCommand,
  BackendMemory,
  BackendReport,
} from './backendProcess';

/** The forked backend of `yarn bench:ingest` (see backendProcess.ts). */
export class BenchBackend {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  /**
   * Forks the backend over `database` and waits until it serves; with
   * `heapLimitMb`, V8's old space is limited as a container would limit it.
   */
  static async start(
    database: string,
    appSecret: string,
    heapLimitMb?: number,
  ) {
    // The parent's flags: the TypeScript loader and --expose-gc.
    const execArgv = heapLimitMb
      ? [...process.execArgv, `--max-old-space-size=${heapLimitMb}`]
      : process.execArgv;
    const child = fork(
      require.resolve('./backendProcess'),
      [database, appSecret],
      { execArgv },
    );
    const ready = await nextReport(child, 'ready');
    return new BenchBackend(child, ready.port);
  }

  /** Takes the backend's memory baseline after a full GC. */
  async startMeasuring(): Promise<void> {
    const started = nextReport(this.child, 'started');
    this.send('start');
    await started;
  }

  /** The backend's memory since startMeasuring; stops the backend. */
  async stop(): Promise<BackendMemory> {
    const memory = nextReport(this.child, 'memory');
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    this.send('stop');
    const report = await memory;
    await exited;
    return report.memory;
  }

  private send(command: BackendCommand) {
    this.child.send(command);
  }
}

function nextReport<T extends BackendReport['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<BackendReport, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the bench backend exited (${code}) before '${type}'`));
    const onMessage = (report: BackendReport) => {
      if (report.type === type) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(report as Extract<BackendReport, { type: T }>);
      }
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
