import { mockServices } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import {
  BulkRetryPreview,
  ErrorCodeCatalogue,
  RetryStatus,
} from '@msgops/plugin-failed-messages-common';
import { newMessage } from '../__testUtils__/messages';
import { engineSendingTo } from '../__testUtils__/retryStack';
import { TEST_ACCOUNT } from '../__testUtils__/numbers';
import { describeStore } from '../database/__testUtils__/testStore';
import { RetryCandidate } from '../database/FailedMessageStore';
import { KnexFailedMessageStore } from '../database/KnexFailedMessageStore';
import { MessageQueryFilter } from '../database/types';
import { AccountPauses } from './AccountPauses';
import {
  previewBulkRetry,
  reasonNotToRetry,
  retryWaitRule,
  WAIT_NOT_PASSED,
} from './bulkPreview';

const NOW = DateTime.fromISO('2026-11-25T12:00:00Z', { zone: 'utc' });

/** Codes of every category, with and without backoff, and codes the catalogue does not list. */
const CODES: Array<{ code: string; category: string }> = [
  { code: '130429', category: 'retryable' },
  { code: '131056', category: 'retryable' },
  { code: '133016', category: 'retryable' },
  { code: '131000', category: 'retryable' },
  { code: '131049', category: 'business-logic' },
  { code: '131047', category: 'business-logic' },
  { code: '132015', category: 'business-logic' },
  { code: '131026', category: 'non-retryable' },
  { code: '131051', category: 'non-retryable' },
  { code: '987654', category: 'business-logic' },
  { code: '250', category: 'business-logic' },
];

const STATUSES: RetryStatus[] = [
  'never-retried',
  'retrying',
  'retry-failed',
  'retry-succeeded',
  'max-attempts-reached',
  'outcome-unknown',
];

/** Ages of the last failure or attempt: inside and past every code's wait. */
const AGES = [
  { seconds: 5 },
  { minutes: 30 },
  { hours: 5 },
  { days: 2 },
  { days: 9 },
];

/** A deterministic spread: row i takes its n-th option by a fixed stride. */
const pick = <T>(options: T[], i: number, stride: number) =>
  options[(i * stride + Math.floor(i / options.length)) % options.length];

/** Two accounts; the second one's sends are paused in the tests. */
const ACCOUNTS = [
  TEST_ACCOUNT,
  {
    id: 'paused',
    wabaId: null,
    accessToken: 'token',
    numbers: [{ phoneNumberId: '555', label: 'Paused', ratePerSecond: 1000 }],
  },
];

/** Sent from a configured number, a paused one, an unknown one, or none known. */
const NUMBERS = [
  { phoneNumberId: '1234567890', displayPhoneNumber: '+1 650 555 0000' },
  { phoneNumberId: '1234567890', displayPhoneNumber: '+1 650 555 0000' },
  { phoneNumberId: '1234567890', displayPhoneNumber: null },
  { phoneNumberId: '555', displayPhoneNumber: '+49 30 555' },
  { phoneNumberId: '999', displayPhoneNumber: '+44 20 999' },
  null,
];

/**
 * 660 messages over every category, status, wait passed or not, attempts
 * up to far past the cap, resolved and dismissed ones, missing payloads,
 * recipients with a newer delivered message of the same template, and
 * business numbers configured, paused, unknown or not known.
 */
async function storeVariedMessages(
  store: KnexFailedMessageStore,
  knex: any,
  numbers: typeof NUMBERS = NUMBERS,
) {
  const messages = Array.from({ length: 660 }, (_, i) => {
    const { code, category } = CODES[i % CODES.length];
    const failedAt = NOW.minus(pick(AGES, i, 3)).minus({ minutes: i });
    return {
      i,
      report: newMessage({
        recipient: `+1650555${String(i % 40).padStart(4, '0')}`,
        templateName: i % 7 === 0 ? null : `template_${i % 3}`,
        payload: i % 13 === 5 ? null : { to: 'x', type: 'template' },
        error: { code, title: null, message: null, details: null },
        category: category as any,
        failedAt: failedAt.toJSDate(),
        businessNumber: pick(numbers, i, 5),
      }),
    };
  });
  const stored = await store.insertMessages(messages.map(m => m.report));
  for (const [index, { id }] of stored.entries()) {
    const i = messages[index].i;
    const attempts = pick([0, 0, 1, 2, 5, 40], i, 5);
    const status = pick(STATUSES, i, 7);
    const lastAttempt =
      attempts && i % 2 ? NOW.minus(pick(AGES, i, 2)).toJSDate() : null;
    await knex('failed_messages')
      .where('id', id)
      .update({
        retry_status: status,
        automatic_attempts: i % 3 ? attempts : 0,
        manual_attempts: i % 3 ? 0 : attempts,
        last_attempt_at: lastAttempt,
        // Delivered after a retry: every recipient's older messages of the
        // same template now have a newer delivery.
        resolved_at: i % 17 === 3 ? NOW.minus({ minutes: 1 }).toJSDate() : null,
        state: i % 19 === 4 ? 'dismissed' : 'open',
      });
  }
  return stored.map(s => s.id);
}

/** The preview as the run decides, one message at a time in the process. */
async function decideEach(
  candidates: RetryCandidate[],
  engine: ReturnType<typeof engineSendingTo>,
): Promise<BulkRetryPreview> {
  const reasons = new Map<string, number>();
  let eligible = 0;
  for (const { message, newerDelivered } of candidates) {
    const reason = await reasonNotToRetry(engine, message, newerDelivered);
    if (reason === null) {
      eligible += 1;
    } else {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  return {
    matched: candidates.length,
    eligible,
    skipped: [...reasons].map(([reason, count]) => ({ reason, count })),
  };
}

const byReason = (preview: BulkRetryPreview) => ({
  ...preview,
  skipped: [...preview.skipped].sort((a, b) =>
    a.reason.localeCompare(b.reason),
  ),
});

async function collect(iterable: AsyncIterable<RetryCandidate>) {
  const all: RetryCandidate[] = [];
  for await (const candidate of iterable) {
    all.push(candidate);
  }
  return all;
}

describeStore('bulk preview counted in the database', db => {
  const catalogues = {
    'the built-in catalogue': new ErrorCodeCatalogue(),
    'overridden waits': new ErrorCodeCatalogue({
      overrides: {
        '130429': { minWaitSeconds: 7200, backoffFactor: 3 },
        '133016': { minWaitSeconds: 0 },
        '987654': { minWaitSeconds: 60, backoffFactor: 1.5 },
      },
    }),
  };

  it.each(Object.entries(catalogues))(
    'agrees with deciding each message in the process, with %s',
    async (_, catalogue) => {
      const ids = await storeVariedMessages(db.store, db.knex);
      await db.store.pauseAccount({
        account: 'paused',
        reason: 'Payment problem',
        code: '131042',
        since: NOW.toJSDate(),
      });
      const engine = engineSendingTo('http://127.0.0.1:1', db.store, {
        catalogue,
        clock: () => NOW,
        accounts: ACCOUNTS,
        pauses: new AccountPauses({
          store: db.store,
          logger: mockServices.logger.mock(),
        }),
      });
      const preview = (
        scope: { ids: string[] } | { filter: MessageQueryFilter },
      ) =>
        previewBulkRetry({
          store: db.store,
          engine,
          catalogue,
          scope,
          now: NOW,
        });

      const expected = await decideEach(
        await db.store.getRetryCandidates(ids),
        engine,
      );
      // The data set reaches every rule: eligible ones and many reasons.
      expect(expected.eligible).toBeGreaterThan(10);
      expect(expected.skipped.length).toBeGreaterThanOrEqual(12);
      for (const rule of [/Dismissed/, /are paused/, /not configured/]) {
        expect(expected.skipped.map(s => s.reason)).toContainEqual(
          expect.stringMatching(rule),
        );
      }
      expect(
        expected.skipped.find(s => s.reason === WAIT_NOT_PASSED)?.count,
      ).toBeGreaterThan(10);

      expect(byReason(await preview({ filter: {} }))).toEqual(
        byReason(expected),
      );
      // Listed ids, several statements' worth with repeats, add up the same.
      expect(
        byReason(await preview({ ids: [...ids, ...ids.slice(0, 50)] })),
      ).toEqual(byReason(expected));
      // A filter narrows both alike.
      const filter: MessageQueryFilter = {
        category: ['retryable'],
        campaign: 'order-updates',
      };
      expect(byReason(await preview({ filter }))).toEqual(
        byReason(
          await decideEach(
            await collect(db.store.streamRetryCandidates(filter)),
            engine,
          ),
        ),
      );
    },
  );

  it('agrees with deciding each message where no message has a business number', async () => {
    const catalogue = new ErrorCodeCatalogue();
    const ids = await storeVariedMessages(db.store, db.knex, [null]);
    const engine = engineSendingTo('http://127.0.0.1:1', db.store, {
      catalogue,
      clock: () => NOW,
    });
    const expected = await decideEach(
      await db.store.getRetryCandidates(ids),
      engine,
    );
    expect(expected.eligible).toBeGreaterThan(10);
    expect(
      byReason(
        await previewBulkRetry({
          store: db.store,
          engine,
          catalogue,
          scope: { filter: {} },
          now: NOW,
        }),
      ),
    ).toEqual(byReason(expected));
  });

  it('previews nothing matched as nothing', async () => {
    const catalogue = new ErrorCodeCatalogue();
    const engine = engineSendingTo('http://127.0.0.1:1', db.store, {
      catalogue,
    });
    expect(
      await previewBulkRetry({
        store: db.store,
        engine,
        catalogue,
        scope: { filter: {} },
        now: NOW,
      }),
    ).toEqual({ matched: 0, eligible: 0, skipped: [] });
  });
});

describe('retryWaitRule', () => {
  const catalogue = new ErrorCodeCatalogue({
    overrides: { '131000': { minWaitSeconds: 60, backoffFactor: 1.01 } },
  });

  it.each(['130429', '131056', '131049', '131026', '131000', '987654'])(
    'gives the catalogue wait of %s for every number of attempts',
    code => {
      const info = catalogue.lookup(code);
      const rule = retryWaitRule(info);
      for (const attempts of [0, 1, 2, 3, 7, 13, 14, 15, 100, 1000, 5000]) {
        const wait =
          attempts >= rule.steadyFromAttempts
            ? rule.steadyWaitSeconds
            : rule.firstWaitSeconds * rule.backoffFactor ** attempts;
        expect(wait).toBe(
          ErrorCodeCatalogue.waitBeforeRetrySeconds(info, attempts),
        );
      }
    },
  );
});
