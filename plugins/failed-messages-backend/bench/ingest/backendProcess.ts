/*
 * The backend `yarn bench:ingest` forks: the plugin in a real Backstage test
 * backend over the bench database, in a process of its own, so its memory
 * is measured without the load generator's request bodies in the same heap.
 *
 * Messages from the parent: `start` takes the baseline (after a full GC)
 * and starts sampling; `stop` answers with the memory figures, stops the
 * backend and exits.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { failedMessagesPlugin } from '../../src/plugin';
import { connectBenchDatabase, gc } from '../benchSupport';

/** What the parent sends. */
export type BackendCommand = 'start' | 'stop';

/** What the backend answers, in order: ready, started, memory. */
export type BackendReport =
  | { type: 'ready'; port: number }
  | { type: 'started' }
  | { type: 'memory'; memory: BackendMemory };

/** The backend's memory over the measured part, in bytes. */
export interface BackendMemory {
  baselineRss: number;
  peakRss: number;
  settledRss: number;
  baselineHeap: number;
  peakHeap: number;
  settledHeap: number;
}

async function serve(database: string, appSecret: string) {
  const knex = connectBenchDatabase(database, 10);
  const backend = await startTestBackend({
    features: [
      failedMessagesPlugin,
      mockServices.rootConfig.factory({
        data: {
          failedMessages: {
            sender: 'sandbox',
            whatsapp: { appSecret, verifyToken: 'bench-verify' },
          },
        },
      }),
      mockServices.database.factory({ knex, migrations: { skip: true } }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  const report = (message: BackendReport) => process.send!(message);

  let memory: BackendMemory | undefined;
  let sampler: NodeJS.Timeout | undefined;
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    memory!.peakRss = Math.max(memory!.peakRss, rss);
    memory!.peakHeap = Math.max(memory!.peakHeap, heapUsed);
  };
  process.on('message', async (command: BackendCommand) => {
    if (command === 'start') {
      gc();
      const { rss, heapUsed } = process.memoryUsage();
      memory = {
        baselineRss: rss,
        peakRss: rss,
        settledRss: rss,
        baselineHeap: heapUsed,
        peakHeap: heapUsed,
        settledHeap: heapUsed,
      };
      sampler = setInterval(sample, 20);
      report({ type: 'started' });
    } else if (command === 'stop' && memory) {
      clearInterval(sampler);
      sample();
      gc();
      const { rss, heapUsed } = process.memoryUsage();
      memory.settledRss = rss;
      memory.settledHeap = heapUsed;
      report({ type: 'memory', memory });
      await backend.stop();
      await knex.destroy();
      process.disconnect!();
    }
  });
  report({ type: 'ready', port: backend.server.port() });
}

const [database, appSecret] = process.argv.slice(2);
serve(database, appSecret).catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
