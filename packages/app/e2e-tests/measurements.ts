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
 * Records, in the browser's own clock, when the first row of the list
 * entered the document and when it was first painted visible: from its
 * insertion on, every animation frame checks whether it is visible, and the
 * frame that shows it stamps the time once it has been rendered (a message
 * posted from the frame's callback runs after the frame's paint). Also
 * records the last click, the start of a move through the sidebar.
 */
async function recordFirstRow(page: Page) {
  await page.addInitScript(() => {
    // The document has no root element yet when this runs.
    const mark = (name: string, time: number) => {
      document.documentElement.dataset[name] = String(time);
    };
    const rowSelector = '[aria-label^="Details of the message to "]';
    const isVisible = (row: Element) => {
      const box = row.getBoundingClientRect();
      return (
        box.width > 0 &&
        box.height > 0 &&
        row.checkVisibility({ visibilityProperty: true })
      );
    };
    const stampWhenPainted = () => {
      requestAnimationFrame(() => {
        const row = document.querySelector(rowSelector);
        if (!row || !isVisible(row)) {
          stampWhenPainted();
          return;
        }
        const afterPaint = new MessageChannel();
        afterPaint.port1.onmessage = () => {
          mark('firstRowPaintedAt', performance.now());
        };
        afterPaint.port2.postMessage(null);
      });
    };
    const observer = new MutationObserver(() => {
      if (document.querySelector(rowSelector)) {
        mark('firstRowInDocumentAt', performance.now());
        observer.disconnect();
        stampWhenPainted();
      }
    });
    observer.observe(document, { childList: true, subtree: true });
    document.addEventListener(
      'click',
      event => {
        mark('lastClickAt', event.timeStamp);
      },
      { capture: true },
    );
  });
}

/**
 * The marks of `recordFirstRow`, in milliseconds from the start of the
 * navigation (or from the click through the sidebar), once the row has been
 * painted.
 */
async function firstRowMarks(page: Page, from: 'navigation' | 'click') {
  await page.waitForFunction(
    () => document.documentElement.dataset.firstRowPaintedAt,
  );
  return page.evaluate(origin => {
    const marks = document.documentElement.dataset;
    const [navigation] = performance.getEntriesByType(
      'navigation',
    ) as PerformanceNavigationTiming[];
    const start = origin === 'click' ? Number(marks.lastClickAt) : 0;
    return {
      painted: Math.round(Number(marks.firstRowPaintedAt) - start),
      inDocument: Math.round(Number(marks.firstRowInDocumentAt) - start),
      loadEvent: Math.round(navigation.loadEventEnd),
    };
  }, from);
}

/** Each figure's runs and their median. */
class Runs {
  private readonly runs = new Map<string, number[]>();

  add(figures: Record<string, number>) {
    for (const [name, value] of Object.entries(figures)) {
      this.runs.set(name, [...(this.runs.get(name) ?? []), value]);
    }
  }

  medians(): Record<string, number> {
    return Object.fromEntries(
      [...this.runs].map(([name, values]) => [name, median(values)]),
    );
  }

  all(): Record<string, number[]> {
    return Object.fromEntries(this.runs);
  }
}

/**
 * Time from navigation to the first rows of the list: a full page load with
 * the app's files in the browser cache, a full load with an empty cache, and
 * a move from another page of the app through the sidebar. The figures are
 * the moments the first row was painted, by the browser's clock; beside them,
 * `polled` gives the time until Playwright's `toBeVisible`, which polls at
 * growing intervals (up to 500 ms apart), saw the row, and `inDocument` when
 * the row entered the document.
 */
export async function measureFirstRows(
  page: Page,
  rowsShown: (page: Page) => Promise<void>,
) {
  const warm = new Runs();
  const inApp = new Runs();
  await recordFirstRow(page);
  for (let run = 0; run < RUNS; run++) {
    const warmPolled = await timed(
      () => page.goto(PAGE),
      () => rowsShown(page),
    );
    const warmMarks = await firstRowMarks(page, 'navigation');
    warm.add({
      painted: warmMarks.painted,
      polled: warmPolled,
      inDocument: warmMarks.inDocument,
      loadEvent: warmMarks.loadEvent,
    });
    await page.goto('/catalog');
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('button', { name: 'Messaging' })
      .hover();
    const inAppPolled = await timed(
      () => sidebarEntry(page).click(),
      () => rowsShown(page),
    );
    const inAppMarks = await firstRowMarks(page, 'click');
    inApp.add({ painted: inAppMarks.painted, polled: inAppPolled });
  }

  const state = await page.context().storageState();
  const cold = new Runs();
  for (let run = 0; run < RUNS; run++) {
    const context = await page.context().browser()!.newContext({
      storageState: state,
      viewport: page.viewportSize(),
    });
    const fresh = await context.newPage();
    await recordFirstRow(fresh);
    const coldPolled = await timed(
      () => fresh.goto(PAGE),
      () => rowsShown(fresh),
    );
    const coldMarks = await firstRowMarks(fresh, 'navigation');
    cold.add({ painted: coldMarks.painted, polled: coldPolled });
    await context.close();
  }
  const [warmMedians, coldMedians, inAppMedians] = [warm, cold, inApp].map(
    runs => runs.medians(),
  );
  return {
    firstRowsWarmCacheMs: warmMedians.painted,
    firstRowsEmptyCacheMs: coldMedians.painted,
    firstRowsFromSidebarMs: inAppMedians.painted,
    polled: {
      firstRowsWarmCacheMs: warmMedians.polled,
      firstRowsEmptyCacheMs: coldMedians.polled,
      firstRowsFromSidebarMs: inAppMedians.polled,
    },
    diagnostics: {
      warmFirstRowInDocumentMs: warmMedians.inDocument,
      warmLoadEventMs: warmMedians.loadEvent,
    },
    runs: { warm: warm.all(), cold: cold.all(), inApp: inApp.all() },
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
