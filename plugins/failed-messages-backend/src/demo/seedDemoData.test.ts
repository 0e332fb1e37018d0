import { mockServices } from '@backstage/backend-test-utils';
import { testNumbers } from '../__testUtils__/numbers';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { createTestDatabases, initTestStore } from '../__testUtils__/databases';
import { DateTime } from 'luxon';
import {
  createDemoMessages,
  DEMO_MESSAGE_COUNT,
  seedDemoData,
} from './seedDemoData';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('demo data on %s', id => {
  it('seeds realistic failures with some retry history, once', async () => {
    const { knex, store } = await initTestStore(databases, id);
    const options = {
      store,
      catalogue: new ErrorCodeCatalogue(),
      logger: mockServices.logger.mock(),
      maxAutomaticAttempts: 3,
      numbers: testNumbers(),
    };

    await seedDemoData(options);
    await seedDemoData(options);

    const summary = await store.summarize({});
    expect(summary.total).toBe(DEMO_MESSAGE_COUNT);
    for (const count of [
      summary.retryable,
      summary.nonRetryable,
      summary.businessLogic,
    ]) {
      expect(count).toBeGreaterThan(20);
    }
    const campaigns = await knex('failed_messages').distinct('campaign');
    expect(campaigns.length).toBeGreaterThanOrEqual(5);

    const attempts = await knex('failed_message_attempts').select(
      'trigger',
      'outcome',
    );
    expect(attempts.length).toBeGreaterThan(20);
    expect(new Set(attempts.map(a => a.trigger))).toEqual(
      new Set(['automatic', 'manual', 'bulk']),
    );
    expect(new Set(attempts.map(a => a.outcome))).toEqual(
      new Set(['succeeded', 'failed']),
    );
    const statuses = await knex('failed_messages').distinct('retry_status');
    expect(statuses.map(s => s.retry_status)).toEqual(
      expect.arrayContaining([
        'never-retried',
        'retry-succeeded',
        'retry-failed',
        'max-attempts-reached',
      ]),
    );
    // Every history is told in order: no retry before its failure.
    const [{ early }] = await knex('failed_message_attempts as a')
      .join('failed_messages as m', 'm.id', 'a.message_id')
      .whereRaw('a.started_at < m.failed_at')
      .count({ early: '*' });
    expect(Number(early)).toBe(0);
    const [{ resolved }] = await knex('failed_messages')
      .whereNotNull('resolved_at')
      .count({ resolved: '*' });
    expect(Number(resolved)).toBeGreaterThan(0);
    // Totals still agree with a direct count after the retries.
    const [{ retrying }] = await knex('failed_messages')
      .where('retry_status', 'retry-failed')
      .count({ retrying: '*' });
    expect(
      (await store.summarize({ retryStatus: ['retry-failed'] })).total,
    ).toBe(Number(retrying));
  });
});

describe('demo messages', () => {
  it('include Business Logic failures a person may resend and ones only a forced retry sends', () => {
    const catalogue = new ErrorCodeCatalogue();
    const rules = createDemoMessages(catalogue, DateTime.utc())
      .filter(message => message.category === 'business-logic')
      .map(message => catalogue.lookup(message.error.code).manualRetry);
    expect(rules.filter(rule => rule === 'allowed').length).toBeGreaterThan(5);
    expect(rules.filter(rule => rule === 'never').length).toBeGreaterThan(5);
  });
});
