/*
 * The child process the retry bench forks as its stand-in for Meta's Cloud
 * API (see standIn.ts).
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { round } from '../benchSupport';
import type { StandInConfig, StandInStats } from './standIn';

/**
 * The child process standing in for `POST /{version}/{phone}/messages`:
 * answers after the configured latency and counts requests per
 * `biz_opaque_callback_data`, with their arrival times.
 */
function runStandIn() {
  let config: StandInConfig = { latencyMs: 0, mode: 'accept' };
  let perId = new Map<string, number>();
  let arrivals: number[] = [];
  let duplicates = 0;
  let sequence = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk as Buffer));
    req.on('end', () => {
      arrivals.push(performance.now());
      let id = '';
      try {
        id = String(
          JSON.parse(Buffer.concat(chunks).toString('utf8'))
            .biz_opaque_callback_data ?? '',
        );
      } catch {
        // counted without an id
      }
      const seen = perId.get(id) ?? 0;
      perId.set(id, seen + 1);
      if (seen > 0) {
        duplicates += 1;
      }
      const { mode, latencyMs } = config;
      const reply = () => {
        res.setHeader('Content-Type', 'application/json');
        if (mode === 'fail') {
          res.statusCode = 500;
          res.end(
            JSON.stringify({
              error: {
                message: '(#130429) Rate limit hit',
                type: 'OAuthException',
                code: 130429,
              },
            }),
          );
          return;
        }
        sequence += 1;
        res.end(
          JSON.stringify({
            messaging_product: 'whatsapp',
            contacts: [{ input: 'x', wa_id: 'x' }],
            messages: [{ id: `wamid.BENCH${sequence}` }],
          }),
        );
      };
      if (latencyMs > 0) {
        setTimeout(reply, latencyMs);
      } else {
        reply();
      }
    });
  });
  server.keepAliveTimeout = 60_000;

  const stats = (): StandInStats => {
    const n = arrivals.length;
    let peak = 0;
    for (let lo = 0, hi = 0; hi < n; hi++) {
      while (arrivals[hi] - arrivals[lo] >= 1000) lo++;
      peak = Math.max(peak, hi - lo + 1);
    }
    const i10 = Math.floor(n * 0.1);
    const i90 = Math.max(i10, Math.ceil(n * 0.9) - 1);
    const steadyMs = n > 1 ? arrivals[i90] - arrivals[i10] : 0;
    return {
      requests: n,
      distinct: perId.size,
      duplicates,
      spanSeconds: n > 1 ? round((arrivals[n - 1] - arrivals[0]) / 1000, 2) : 0,
      steadyRate: steadyMs > 0 ? round(((i90 - i10) * 1000) / steadyMs, 1) : 0,
      peakPerSecond: peak,
    };
  };

  process.on(
    'message',
    (message: { id: number; type: string; config?: StandInConfig }) => {
      const answer = (body: unknown) => process.send!({ id: message.id, body });
      if (message.type === 'configure') {
        config = message.config!;
        perId = new Map();
        arrivals = [];
        duplicates = 0;
        answer('ok');
      } else if (message.type === 'mode') {
        // Switches answers without forgetting what was counted.
        config = message.config!;
        answer('ok');
      } else if (message.type === 'stats') {
        answer(stats());
      } else if (message.type === 'reset') {
        perId = new Map();
        arrivals = [];
        duplicates = 0;
        answer('ok');
      } else if (message.type === 'exit') {
        server.closeAllConnections();
        server.close(() => process.exit(0));
      }
    },
  );
  // Ends with the benchmark, however that ends.
  process.on('disconnect', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => {
    process.send!({ id: 0, body: (server.address() as AddressInfo).port });
  });
}

runStandIn();
