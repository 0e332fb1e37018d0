import { gzipSync } from 'node:zlib';
import { Browser, BrowserContext, Page } from '@playwright/test';
import { SourceMapConsumer } from 'source-map-js';

const PAGE = '/failed-messages';
const RUNS = 5;
/** Modules of the failed-messages frontend and the common code it bundles. */
const PLUGIN_SOURCE = /\/plugins\/failed-messages(-common)?\/src\//;

/**
 * Messaging → Failed Messages in the sidebar; the catalog page lists
 * entities of the same name.
 */
export function sidebarEntry(page: Page) {
  return page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Failed Messages', exact: true });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Milliseconds from the start of `action` until `rowsShown` resolves. */
async function timed(
  action: () => Promise<unknown>,
  rowsShown: () => Promise<void>,
): Promise<number> {
  const start = Date.now();
  await action();
  await rowsShown();
  return Date.now() - start;
}

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/**
 * A diagnostic for full loads of the page: the browser's own time of the
 * moment the first row entered the document. `toBeVisible` polls at growing
 * intervals (up to 500 ms apart) from the load event on, so the measured time
 * can lag the rows by that much.
 */
async function recordFirstRowInDocument(page: Page) {
  await page.addInitScript(path => {
    if (window.location.pathname !== path) {
      return;
    }
    const observer = new MutationObserver(() => {
      if (
        document.querySelector('[aria-label^="Details of the message to "]')
      ) {
        document.documentElement.dataset.firstRowAt = String(performance.now());
        observer.disconnect();
      }
    });
    observer.observe(document, { childList: true, subtree: true });
  }, PAGE);
}

/** Milliseconds from the start of the navigation to the load event and to the first row. */
async function pageLoadDiagnostics(page: Page) {
  return page.evaluate(() => {
    const [navigation] = performance.getEntriesByType(
      'navigation',
    ) as PerformanceNavigationTiming[];
    return {
      loadEvent: Math.round(navigation.loadEventEnd),
      firstRowInDocument: Math.round(
        Number(document.documentElement.dataset.firstRowAt),
      ),
    };
  });
}

/**
 * Time from navigation to the first rows of the list: a full page load with
 * the app's files in the browser cache, a full load with an empty cache, and
 * a move from another page of the app through the sidebar.
 */
export async function measureFirstRows(
  page: Page,
  rowsShown: (page: Page) => Promise<void>,
) {
  const warm: number[] = [];
  const warmLoadEvent: number[] = [];
  const warmFirstRowInDocument: number[] = [];
  const inApp: number[] = [];
  await recordFirstRowInDocument(page);
  for (let run = 0; run < RUNS; run++) {
    warm.push(
      await timed(
        () => page.goto(PAGE),
        () => rowsShown(page),
      ),
    );
    const diagnostics = await pageLoadDiagnostics(page);
    warmLoadEvent.push(diagnostics.loadEvent);
    warmFirstRowInDocument.push(diagnostics.firstRowInDocument);
    await page.goto('/catalog');
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('button', { name: 'Messaging' })
      .hover();
    inApp.push(
      await timed(
        () => sidebarEntry(page).click(),
        () => rowsShown(page),
      ),
    );
  }

  const state = await page.context().storageState();
  const cold: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await page.context().browser()!.newContext({
      storageState: state,
      viewport: page.viewportSize(),
    });
    const fresh = await context.newPage();
    cold.push(
      await timed(
        () => fresh.goto(PAGE),
        () => rowsShown(fresh),
      ),
    );
    await context.close();
  }
  return {
    firstRowsWarmCacheMs: median(warm),
    firstRowsEmptyCacheMs: median(cold),
    firstRowsFromSidebarMs: median(inApp),
    runs: { warm, cold, inApp },
    diagnostics: {
      warmFirstRowInDocumentMs: median(warmFirstRowInDocument),
      warmLoadEventMs: median(warmLoadEvent),
      runs: { warmFirstRowInDocument, warmLoadEvent },
    },
  };
}

/**
 * The bytes of each chunk's code that its source map attributes to the
 * plugin's own modules, concatenated, so that they can be gzipped as a whole.
 */
function pluginCode(code: string, sourceMap: string): string {
  const lines = code.split('\n');
  const consumer = new SourceMapConsumer(JSON.parse(sourceMap));
  const segments: Array<{
    line: number;
    column: number;
    plugin: boolean;
  }> = [];
  consumer.eachMapping(
    mapping => {
      segments.push({
        line: mapping.generatedLine - 1,
        column: mapping.generatedColumn,
        plugin: PLUGIN_SOURCE.test(mapping.source ?? ''),
      });
    },
    undefined,
    SourceMapConsumer.GENERATED_ORDER,
  );

  const parts: string[] = [];
  segments.forEach((segment, index) => {
    if (!segment.plugin) {
      return;
    }
    const next = segments[index + 1];
    const end = next && next.line === segment.line ? next.column : undefined;
    parts.push(lines[segment.line].slice(segment.column, end));
  });
  return parts.join('');
}

/**
 * Opens another page of the app with an empty cache, then the Failed
 * Messages page through the sidebar, and weighs the JavaScript: everything
 * the browser fetched, what the move to the page added (the page's own
 * chunks and the libraries only it uses, such as the charts), and the part
 * that is the plugin's own code by source map; gzipped, as a server sends it.
 */
export async function measurePluginJavaScript(
  browser: Browser,
  state: StorageState,
  rowsShown: (page: Page) => Promise<void>,
) {
  const context = await browser.newContext({ storageState: state });
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on('response', response => {
    if (response.request().resourceType() === 'script') {
      scripts.push(response.url());
    }
  });
  await page.goto('/catalog');
  // Everything the catalog page loads lazily counts as the app's, not ours.
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Messaging' }).hover();
  const beforePage = new Set(scripts);
  await sidebarEntry(page).click();
  await rowsShown(page);

  let allGzipBytes = 0;
  let addedGzipBytes = 0;
  let pluginBytes = 0;
  const pluginParts: string[] = [];
  for (const url of new Set(scripts)) {
    const code = await (await context.request.get(url)).text();
    const gzipBytes = gzipSync(code).length;
    allGzipBytes += gzipBytes;
    if (!beforePage.has(url)) {
      addedGzipBytes += gzipBytes;
    }
    const map = await context.request.get(`${url}.map`);
    if (map.ok()) {
      const own = pluginCode(code, await map.text());
      pluginBytes += Buffer.byteLength(own);
      pluginParts.push(own);
    }
  }
  await context.close();
  return {
    scriptsLoaded: new Set(scripts).size,
    allJavaScriptGzipBytes: allGzipBytes,
    pageAddedGzipBytes: addedGzipBytes,
    pluginOwnBytes: pluginBytes,
    pluginOwnGzipBytes: gzipSync(pluginParts.join('\n')).length,
  };
}
