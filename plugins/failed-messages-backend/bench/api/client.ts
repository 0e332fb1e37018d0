/*
 * The API bench's HTTP client: JSON requests as an HTTP benchmark tool makes
 * them, and the CSV export of every row read to its end.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { log, round } from '../benchSupport';

export interface CsvExport {
  csvBytes: number;
  csvLines: number;
  csvMs: number;
  exportComplete: boolean;
  /** Seconds at which each further 10% of the rows had arrived. */
  exportCheckpoints: { rows: number; seconds: number }[];
}

export function benchClient(origin: string, authorization: string) {
  // Like an HTTP benchmark tool (wrk, autocannon): one kept-alive connection
  // and a bare HTTP/1.1 client. fetch, which the bench used first, spent
  // 0.3-0.9 ms of this process's CPU per request in its own streams, and that
  // CPU is the backend's, as both run in one process.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  function getJson(path: string, query: Record<string, string>): Promise<any> {
    const qs = new URLSearchParams(query).toString();
    return new Promise((resolve, reject) => {
      http
        .get(
          `${origin}${path}${qs ? `?${qs}` : ''}`,
          { agent, headers: { authorization } },
          res => {
            const chunks: Buffer[] = [];
            res.on('data', chunk => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const body = Buffer.concat(chunks).toString('utf8');
              if (res.statusCode === 200) {
                resolve(JSON.parse(body));
              } else {
                reject(
                  new Error(`${path}?${qs}: HTTP ${res.statusCode} ${body}`),
                );
              }
            });
          },
        )
        .on('error', reject);
    });
  }

  /**
   * Streams `GET /export/messages.csv` of all `rows`, counting bytes and
   * lines without keeping the file; gives up after `timeoutMs`.
   */
  async function exportCsv(
    rows: number,
    timeoutMs: number,
  ): Promise<CsvExport> {
    const csvStarted = performance.now();
    const abort = new AbortController();
    const res = await fetch(`${origin}/export/messages.csv`, {
      headers: { authorization },
      signal: abort.signal,
    });
    if (res.status !== 200 || !res.body) {
      throw new Error(`export: HTTP ${res.status}`);
    }
    let csvBytes = 0;
    let csvLines = 0;
    let exportComplete = true;
    const exportCheckpoints: { rows: number; seconds: number }[] = [];
    const step = Math.max(1, Math.round(rows / 10));
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        csvBytes += chunk.byteLength;
        for (let i = 0; i < chunk.length; i++) {
          if (chunk[i] === 10) {
            csvLines++;
            if ((csvLines - 1) % step === 0 && csvLines > 1) {
              const seconds = round((performance.now() - csvStarted) / 1000, 1);
              exportCheckpoints.push({ rows: csvLines - 1, seconds });
              log(`    exported ${csvLines - 1} rows after ${seconds} s`);
            }
          }
        }
        if (performance.now() - csvStarted > timeoutMs) {
          exportComplete = false;
          abort.abort();
          break;
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
      exportComplete = false;
    }
    const csvMs = performance.now() - csvStarted;
    return { csvBytes, csvLines, csvMs, exportComplete, exportCheckpoints };
  }

  return { getJson, exportCsv, close: () => agent.destroy() };
}
