/*
 * The API bench's scenarios: a page of the list under each single filter,
 * and the summary unfiltered and over a week, each beside the store's own
 * query after checking that both count the same rows.
 */
import { Knex } from 'knex';
import { KnexFailedMessageStore } from '../../src/database/KnexFailedMessageStore';
import {
  parseFilterQuery,
  parseListQuery,
} from '../../src/service/queryParameters';
import { log } from '../benchSupport';
import { measureScenario, Pair } from './measure';
import { tableRow } from './report';

export const PAGE = 50;

interface Filter {
  name: string;
  /** Query string of the API request. */
  query: Record<string, string>;
}

const SEARCH_TEXT = '5551234';

const FILTERS: Filter[] = [
  { name: 'none', query: {} },
  { name: 'age=7d', query: { age: '7d' } },
  { name: 'category=retryable', query: { category: 'retryable' } },
  { name: 'errorCode=131049', query: { errorCode: '131049' } },
  {
    name: 'retryStatus=never-retried',
    query: { retryStatus: 'never-retried' },
  },
  { name: 'campaign=spring-promo', query: { campaign: 'spring-promo' } },
  { name: `q=${SEARCH_TEXT}`, query: { q: SEARCH_TEXT } },
];

const SUMMARY_FILTERS = FILTERS.filter(f =>
  ['none', 'age=7d'].includes(f.name),
);

export interface ScenarioContext {
  knex: Knex;
  store: KnexFailedMessageStore;
  getJson: (path: string, query: Record<string, string>) => Promise<any>;
  /** The table's rows, one per scenario, as they are measured. */
  lines: string[];
}

/** A plain count on failed_messages: checks the store's per-day totals. */
async function countDirectly(
  { knex, store }: ScenarioContext,
  query: Record<string, string>,
) {
  const filter = parseFilterQuery(query);
  if (filter.q) {
    return (await store.listMessages(parseListQuery(query))).totalCount;
  }
  const count = knex('failed_messages');
  if (filter.from) count.where('failed_at', '>=', filter.from);
  if (filter.category) count.whereIn('category', filter.category);
  if (filter.errorCode) count.whereIn('error_code', filter.errorCode);
  if (filter.retryStatus) count.whereIn('retry_status', filter.retryStatus);
  if (filter.campaign) count.where('campaign', filter.campaign);
  const [row] = await count.count({ count: '*' });
  return Number(row.count);
}

export async function measureList(
  context: ScenarioContext,
  size: number,
): Promise<Record<string, Pair>> {
  const { store, getJson, lines } = context;
  const list: Record<string, Pair> = {};
  for (const filter of FILTERS) {
    log(`  ${size} list ${filter.name}`);
    const query = { ...filter.query, sort: 'failedAt', limit: String(PAGE) };
    // The store's own queries on the same pool: no HTTP, auth or JSON.
    const raw = () => store.listMessages(parseListQuery(query));
    // Both must see the same rows: the API reads the seeded table.
    const [apiPage, rawPage] = await Promise.all([
      getJson('/messages', query),
      raw(),
    ]);
    if (
      rawPage.totalCount !== apiPage.totalCount ||
      (rawPage.items[0]?.id ?? null) !== (apiPage.items[0]?.id ?? null) ||
      rawPage.totalCount !== (await countDirectly(context, filter.query))
    ) {
      throw new Error(
        `API, store and a direct count disagree for list ${filter.name}`,
      );
    }
    const p = await measureScenario(() => getJson('/messages', query), raw);
    p.totalCount = apiPage.totalCount;
    list[filter.name] = p;
    lines.push(tableRow(size, 'list', filter.name, p));
    log(lines[lines.length - 1]);
  }
  return list;
}

export async function measureSummary(
  { store, getJson, lines }: ScenarioContext,
  size: number,
): Promise<Record<string, Pair>> {
  const summary: Record<string, Pair> = {};
  for (const filter of SUMMARY_FILTERS) {
    log(`  ${size} summary ${filter.name}`);
    const raw = () => store.summarize(parseFilterQuery(filter.query));
    const apiSummary = await getJson('/summary', filter.query);
    const p = await measureScenario(
      () => getJson('/summary', filter.query),
      raw,
    );
    p.totalCount = apiSummary.total;
    summary[filter.name] = p;
    lines.push(tableRow(size, 'summary', filter.name, p));
    log(lines[lines.length - 1]);
  }
  return summary;
}
