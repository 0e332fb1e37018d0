import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DateTime } from 'luxon';
import {
  ErrorCodeCatalogue,
  failedMessagesBulkRetryPermission,
  failedMessagesForceRetryPermission,
  failedMessagesReadPermission,
  failedMessagesRetryPermission,
  failedMessagesStatisticsReadPermission,
} from '@msgops/plugin-failed-messages-common';
import { createTestDatabases, initTestStore } from '../__testUtils__/databases';
import { startFakeWhatsApp } from '../__testUtils__/fakeWhatsApp';
import { newMessage } from '../__testUtils__/messages';
import { engineSendingTo } from '../__testUtils__/retryStack';
import { KnexFailedMessageStore } from '../database/KnexFailedMessageStore';
import { BulkRetries } from '../retry/BulkRetries';
import { RetryRateLimiter } from '../retry/RetryRateLimiter';
import { registerFailedMessagesActions } from '.';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const catalogue = new ErrorCodeCatalogue();

const AGENT = 'user:default/alex-agent';
const ADMIN = 'user:default/ada-admin';

/** Agents read and retry one by one; only admins bulk retry. */
const GRANTS: Record<string, string[]> = {
  [AGENT]: [
    failedMessagesReadPermission.name,
    failedMessagesRetryPermission.name,
    failedMessagesStatisticsReadPermission.name,
  ],
  [ADMIN]: [
    failedMessagesReadPermission.name,
    failedMessagesRetryPermission.name,
    failedMessagesStatisticsReadPermission.name,
    failedMessagesBulkRetryPermission.name,
    failedMessagesForceRetryPermission.name,
  ],
};

describe.each(databases.eachSupportedId())(
  'failed-messages actions on %s',
  id => {
    let knex: Awaited<ReturnType<typeof databases.init>>;
    let store: KnexFailedMessageStore;
    let bulkRetries: BulkRetries;
    let meta: Awaited<ReturnType<typeof startFakeWhatsApp>>;
    let registry: ReturnType<typeof actionsRegistryServiceMock>;
    const auditor = mockServices.auditor.mock();

    const invoke = (
      name: string,
      input: Record<string, any>,
      user: string = AGENT,
    ) =>
      registry.invoke({
        id: `test:${name}`,
        input,
        credentials: mockCredentials.user(user),
      }) as Promise<{ output: any }>;

    beforeAll(async () => {
      ({ knex, store } = await initTestStore(databases, id));
      meta = await startFakeWhatsApp();

      const logger = mockServices.logger.mock();
      const engine = engineSendingTo(meta.baseUrl, store, { catalogue });
      bulkRetries = new BulkRetries({
        store,
        engine,
        catalogue,
        logger,
        limiter: new RetryRateLimiter({ concurrency: 1 }),
      });
      const permissions = mockServices.permissions.mock({
        authorize: async (requests, options) => {
          const principal = (options.credentials as any).principal;
          const granted = GRANTS[principal?.userEntityRef] ?? [];
          return requests.map(request => ({
            result: granted.includes(request.permission.name)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          })) as any;
        },
      });
      registry = actionsRegistryServiceMock();
      registerFailedMessagesActions({
        actionsRegistry: registry,
        store,
        engine,
        bulkRetries,
        catalogue,
        permissions,
        auditor,
      });
    });
    afterAll(async () => {
      await bulkRetries.settled();
      await meta.close();
    });

    const failedAt = () => DateTime.utc().minus({ days: 1 }).toJSDate();

    it('lists the actions with their attributes', async () => {
      const { actions } = await registry.list();
      const attributes = Object.fromEntries(
        actions.map(action => [action.name, action.attributes]),
      );
      const readOnly = { readOnly: true, idempotent: true, destructive: false };
      const destructive = {
        readOnly: false,
        idempotent: false,
        destructive: true,
      };
      expect(attributes).toEqual({
        'list-failed-messages': readOnly,
        'get-failed-message': readOnly,
        'get-failed-messages-summary': readOnly,
        'get-retry-statistics': readOnly,
        'retry-failed-message': destructive,
        'start-bulk-retry': destructive,
      });
    });

    it('lists failed messages with a filter', async () => {
      await store.insertMessages([
        newMessage({ campaign: 'list-a', failedAt: failedAt() }),
        newMessage({ campaign: 'list-a', failedAt: failedAt() }),
        newMessage({ campaign: 'list-b', failedAt: failedAt() }),
      ]);
      const { output } = await invoke('list-failed-messages', {
        campaign: 'list-a',
        category: ['retryable'],
        limit: 1,
      });
      expect(output.totalCount).toBe(2);
      expect(output.items).toHaveLength(1);
      expect(output.items[0]).toMatchObject({
        campaign: 'list-a',
        category: 'retryable',
        retryStatus: 'never-retried',
      });
    });

    it('lists the messages of a business number, with its label', async () => {
      const number = (phoneNumberId: string) => ({
        campaign: 'list-numbers',
        failedAt: failedAt(),
        businessNumber: { phoneNumberId, displayPhoneNumber: null },
      });
      await store.insertMessages([
        newMessage(number('1234567890')),
        newMessage(number('999000111')),
      ]);
      const { output } = await invoke('list-failed-messages', {
        campaign: 'list-numbers',
        phoneNumberId: ['1234567890'],
      });
      expect(output.totalCount).toBe(1);
      expect(output.items[0].businessNumber).toEqual({
        phoneNumberId: '1234567890',
        displayPhoneNumber: null,
        label: '1234567890',
      });
    });

    it('rejects an invalid filter', async () => {
      await expect(
        invoke('list-failed-messages', { category: ['broken'] }),
      ).rejects.toThrow(/Invalid input/);
    });

    it('retries one message, then gets it with its attempt', async () => {
      const [report] = await store.insertMessages([
        newMessage({ campaign: 'retry-one', failedAt: failedAt() }),
      ]);
      const before = meta.requests.length;
      const { output } = await invoke('retry-failed-message', {
        id: report.id,
        reason: 'customer asked',
      });
      expect(meta.requests).toHaveLength(before + 1);
      expect(meta.requests[before].body.biz_opaque_callback_data).toBe(
        report.id,
      );
      expect(output.attempt).toMatchObject({
        trigger: 'action',
        actor: AGENT,
        outcome: 'succeeded',
      });
      expect(auditor.createEvent).toHaveBeenCalledWith({
        eventId: 'retry',
        meta: expect.objectContaining({ messageId: report.id, actor: AGENT }),
      });
      expect(output.message).toMatchObject({
        id: report.id,
        retryStatus: 'retry-succeeded',
      });

      const { output: detail } = await invoke('get-failed-message', {
        id: report.id,
      });
      expect(detail).toMatchObject({
        id: report.id,
        explanation: {
          meaning: expect.any(String),
          action: expect.any(String),
        },
        eligibility: { canRetry: false },
      });
      expect(detail.attempts).toHaveLength(1);
      expect(detail.attempts[0]).toMatchObject({
        trigger: 'action',
        actor: AGENT,
        outcome: 'succeeded',
      });
    });

    it('refuses a second retry of a delivered message', async () => {
      const [report] = await store.insertMessages([
        newMessage({ campaign: 'retry-twice', failedAt: failedAt() }),
      ]);
      await invoke('retry-failed-message', { id: report.id });
      await expect(
        invoke('retry-failed-message', { id: report.id }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
    });

    it('forces a retry inside the wait for an admin only', async () => {
      const [report] = await store.insertMessages([
        newMessage({ campaign: 'retry-forced', failedAt: new Date() }),
      ]);
      const before = meta.requests.length;
      await expect(
        invoke('retry-failed-message', { id: report.id, force: true }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('failed-messages.message.force-retry'),
      });
      await expect(
        invoke('retry-failed-message', { id: report.id }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      expect(meta.requests).toHaveLength(before);

      const { output } = await invoke(
        'retry-failed-message',
        { id: report.id, force: true, reason: 'customer asked' },
        ADMIN,
      );
      expect(output.attempt).toMatchObject({
        actor: ADMIN,
        outcome: 'succeeded',
      });
      expect(meta.requests).toHaveLength(before + 1);
    });

    it('fails with not found for an unknown id', async () => {
      await expect(
        invoke('get-failed-message', {
          id: '00000000-0000-4000-8000-000000000000',
        }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('summarizes by category', async () => {
      await store.insertMessages([
        newMessage({ campaign: 'summary', failedAt: failedAt() }),
        newMessage({
          campaign: 'summary',
          category: 'non-retryable',
          failedAt: failedAt(),
        }),
      ]);
      const { output } = await invoke('get-failed-messages-summary', {
        campaign: 'summary',
      });
      expect(output).toEqual({
        total: 2,
        retryable: 1,
        nonRetryable: 1,
        businessLogic: 0,
      });
    });

    it('computes retry statistics', async () => {
      const today = DateTime.utc().toISODate()!;
      const { output } = await invoke('get-retry-statistics', {
        from: DateTime.utc().minus({ days: 6 }).toISODate()!,
        to: today,
        bucket: 'day',
      });
      expect(output.to).toContain(today);
      expect(JSON.stringify(output)).toContain('action');
    });

    it("narrows retry statistics to one campaign's messages", async () => {
      await store.insertMessages([
        newMessage({
          campaign: 'stats-spring',
          error: {
            code: '131047',
            title: 'Re-engagement message',
            message: null,
            details: null,
          },
          failedAt: failedAt(),
        }),
        newMessage({ campaign: 'stats-autumn', failedAt: failedAt() }),
      ]);
      const { output } = await invoke('get-retry-statistics', {
        campaign: 'stats-spring',
      });
      expect(output.byErrorCode).toEqual([
        expect.objectContaining({ code: '131047', failures: 1 }),
      ]);
      await expect(
        invoke('get-retry-statistics', { campaign: '' }),
      ).rejects.toThrow(/campaign/);
    });

    it('previews and starts a bulk retry', async () => {
      await store.insertMessages([
        newMessage({ campaign: 'bulk', failedAt: failedAt() }),
        newMessage({ campaign: 'bulk', failedAt: failedAt() }),
        newMessage({
          campaign: 'bulk',
          category: 'non-retryable',
          error: {
            code: '131026',
            title: 'Message undeliverable',
            message: null,
            details: null,
          },
          failedAt: failedAt(),
        }),
      ]);
      const before = meta.requests.length;
      const { output: preview } = await invoke(
        'start-bulk-retry',
        { filter: { campaign: 'bulk' }, dryRun: true },
        ADMIN,
      );
      expect(preview).toMatchObject({ matched: 3, eligible: 2 });
      expect(meta.requests).toHaveLength(before);

      const { output } = await invoke(
        'start-bulk-retry',
        { filter: { campaign: 'bulk' }, reason: 'Meta outage is over' },
        ADMIN,
      );
      expect(output.bulkRetry).toMatchObject({
        status: 'running',
        total: 3,
        createdBy: ADMIN,
      });
      await bulkRetries.settled();
      expect(await bulkRetries.get(output.bulkRetry.id)).toMatchObject({
        status: 'completed',
        succeeded: 2,
        skipped: 1,
      });
      expect(meta.requests).toHaveLength(before + 2);
      const triggers = await knex('failed_message_attempts')
        .where('bulk_retry_id', output.bulkRetry.id)
        .pluck('trigger');
      expect(triggers).toEqual(['action', 'action']);
    });

    it('needs exactly one of ids and filter', async () => {
      await expect(
        invoke('start-bulk-retry', { dryRun: true }, ADMIN),
      ).rejects.toThrow(/either ids or filter/);
    });

    it('denies an agent a bulk retry, naming the permission', async () => {
      const before = meta.requests.length;
      await expect(
        invoke('start-bulk-retry', { filter: {} }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('failed-messages.message.bulk-retry'),
      });
      expect(meta.requests).toHaveLength(before);
    });

    it('denies a caller without permissions everything', async () => {
      await expect(
        invoke('list-failed-messages', {}, 'user:default/nobody'),
      ).rejects.toThrow(/failed-messages\.message\.read/);
      await expect(
        invoke('get-retry-statistics', {}, 'user:default/nobody'),
      ).rejects.toThrow(/failed-messages\.statistics\.read/);
    });
  },
);
