/*
 * The API bench's GET /statistics scenarios: 90 days by day, by week and of
 * one campaign, each beside computeStatistics on the same store, counting
 * the rows the database hands to Node for one request.
 */
import { Knex } from 'knex';
import { DateTime } from 'luxon';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import {
  computeStatistics,
  parseStatisticsQuery,
} from '../../src/service/statistics';
import { log } from '../benchSupport';
import { measureScenario, Pair } from './measure';
import { tableRow } from './report';
import { ScenarioContext } from './scenarios';
import { seedStatistics, STATISTICS_DAYS } from './statisticsSeed';

/** One statistics scenario's timings and the rows one request read. */
export type StatisticsPair = Pair & { rowsRead: number };

export interface StatisticsResult {
  seedMs: number;
  seeded: { attempts: number; sends: number; deliveryCountRows: number };
  scenarios: Record<string, StatisticsPair>;
}

/** Counts the rows every query on `knex` answers, for as long as it runs. */
function rowCounter(knex: Knex) {
  let rows = 0;
  const onResponse = (response: unknown) => {
    if (Array.isArray(response)) {
      rows += response.length;
    } else if (Array.isArray((response as { rows?: unknown[] })?.rows)) {
      rows += (response as { rows: unknown[] }).rows.length;
    }
  };
  knex.on('query-response', onResponse);
  return {
    async rowsOf(request: () => Promise<unknown>): Promise<number> {
      const before = rows;
      await request();
      return rows - before;
    },
    stop: () => knex.removeListener('query-response', onResponse),
  };
}

/**
 * Seeds attempts and delivery counts beside the `size` failures, then
 * measures GET /statistics over the last STATISTICS_DAYS days.
 */
export async function measureStatistics(
  context: ScenarioContext,
  size: number,
  anchor: Date,
): Promise<StatisticsResult> {
  const { knex, store, getJson, lines } = context;
  log(`  ${size} seeding ${size} attempts and counts of ${size * 10} sends`);
  const seedStarted = Date.now();
  const seeded = await seedStatistics(
    knex,
    { attempts: size, sends: size * 10 },
    anchor,
  );
  const seedMs = Date.now() - seedStarted;
  const to = DateTime.fromJSDate(anchor, { zone: 'utc' }).toISODate()!;
  const from = DateTime.fromISO(to, { zone: 'utc' })
    .minus({ days: STATISTICS_DAYS - 1 })
    .toISODate()!;
  const catalogue = new ErrorCodeCatalogue();
  const numbers = { find: () => undefined };
  const queries: Record<string, Record<string, string>> = {
    [`${STATISTICS_DAYS}d bucket=day`]: { from, to, bucket: 'day' },
    [`${STATISTICS_DAYS}d bucket=week`]: { from, to, bucket: 'week' },
    [`${STATISTICS_DAYS}d campaign=spring-promo`]: {
      from,
      to,
      bucket: 'day',
      campaign: 'spring-promo',
    },
  };

  const counter = rowCounter(knex);
  const scenarios: Record<string, StatisticsPair> = {};
  try {
    for (const [name, query] of Object.entries(queries)) {
      log(`  ${size} statistics ${name}`);
      const raw = () =>
        computeStatistics(
          store,
          catalogue,
          parseStatisticsQuery(query),
          numbers,
        );
      let api: any;
      const rowsRead = await counter.rowsOf(async () => {
        api = await getJson('/statistics', query);
      });
      const direct = await raw();
      if (
        api.delivery.sent !== direct.delivery.sent ||
        api.retries.total !== direct.retries.total ||
        api.trend.length !== direct.trend.length ||
        (!query.campaign && api.delivery.sent !== seeded.sends) ||
        direct.retries.total === 0
      ) {
        throw new Error(
          `API, store and the seeded counts disagree for statistics ${name}`,
        );
      }
      const p = await measureScenario(() => getJson('/statistics', query), raw);
      scenarios[name] = { ...p, totalCount: api.retries.total, rowsRead };
      lines.push(tableRow(size, 'stats', name, p));
      log(`${lines[lines.length - 1]} (rows read: ${rowsRead})`);
    }
  } finally {
    counter.stop();
  }
  return { seedMs, seeded, scenarios };
}
