import { mockServices } from '@backstage/backend-test-utils';
import { BulkRetry } from '@msgops/plugin-failed-messages-common';
import { NotificationSettings } from '../config';
import { AutoRetryRun } from '../database/FailedMessageStore';
import { RecordingNotificationService } from '../__testUtils__/recordingServices';
import { RetryNotifier } from './RetryNotifier';

const ADMINS = ['user:default/ada-admin', 'group:default/whatsapp-admins'];

function bulkRetry(overrides: Partial<BulkRetry> = {}): BulkRetry {
  return {
    id: 'bulk-1',
    status: 'completed',
    total: 130,
    processed: 130,
    succeeded: 120,
    failed: 3,
    skipped: 7,
    createdBy: 'user:default/ada-admin',
    createdAt: '2026-11-26T10:00:00.000Z',
    finishedAt: '2026-11-26T10:05:00.000Z',
    reason: 'Token renewed',
    scope: { filter: { category: ['retryable'] } },
    ...overrides,
  };
}

function autoRun(overrides: Partial<AutoRetryRun> = {}): AutoRetryRun {
  return {
    id: 'run-1',
    startedAt: '2026-11-26T06:00:00.000Z',
    finishedAt: '2026-11-26T06:10:00.000Z',
    triggeredBy: null,
    attempted: 40,
    succeeded: 36,
    failed: 4,
    skipped: [],
    pausedReason: null,
    ...overrides,
  };
}

function setup(settings: Partial<NotificationSettings> = {}) {
  const notifications = new RecordingNotificationService();
  const logger = mockServices.logger.mock();
  const notifier = new RetryNotifier({
    notifications,
    logger,
    settings: {
      bulkRetry: true,
      autoRetry: true,
      adminRefs: ADMINS,
      ...settings,
    },
  });
  return { notifier, sent: notifications.sent, logger, notifications };
}

describe('RetryNotifier', () => {
  describe('bulk retries', () => {
    it('notifies the starter with the counts and a link to what failed', async () => {
      const { notifier, sent } = setup();
      await notifier.bulkRetryEnded(bulkRetry());
      expect(sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: 'user:default/ada-admin' },
          payload: {
            title: 'Bulk retry finished: 120 sent, 3 failed, 7 skipped',
            description: expect.stringContaining('Token renewed'),
            link: '/failed-messages?retryStatus=retry-failed&retryStatus=max-attempts-reached',
            severity: 'high',
            topic: 'failed-messages',
            scope: 'bulk-retry:bulk-1',
          },
        },
      ]);
      expect(sent[0].payload.description).toContain('130 of 130');
    });

    it('is normal severity without failures, and says how the run ended', async () => {
      const { notifier, sent } = setup();
      await notifier.bulkRetryEnded(
        bulkRetry({ failed: 0, succeeded: 123, reason: null }),
      );
      await notifier.bulkRetryEnded(
        bulkRetry({ status: 'cancelled', failed: 0, processed: 50 }),
      );
      await notifier.bulkRetryEnded(bulkRetry({ status: 'failed' }));
      expect(sent.map(s => [s.payload.title, s.payload.severity])).toEqual([
        ['Bulk retry finished: 123 sent, 0 failed, 7 skipped', 'normal'],
        ['Bulk retry stopped: 120 sent, 0 failed, 7 skipped', 'normal'],
        ['Bulk retry failed: 120 sent, 3 failed, 7 skipped', 'high'],
      ]);
      expect(sent[1].payload.description).toContain('80 not reached');
    });

    it('does not notify a service that started a run', async () => {
      const { notifier, sent } = setup();
      await notifier.bulkRetryEnded(bulkRetry({ createdBy: 'plugin:catalog' }));
      await notifier.bulkRetryEnded(bulkRetry({ createdBy: 'external:ci' }));
      expect(sent).toEqual([]);
    });

    it('does nothing when turned off', async () => {
      const { notifier, sent } = setup({ bulkRetry: false });
      await notifier.bulkRetryEnded(bulkRetry());
      expect(sent).toEqual([]);
    });
  });

  describe('automatic runs', () => {
    it('notifies the admins of a run with failures', async () => {
      const { notifier, sent } = setup();
      await notifier.autoRetryEnded(autoRun());
      expect(sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: ADMINS },
          payload: expect.objectContaining({
            title: 'Automatic retry: 4 of 40 failed',
            link: '/failed-messages?retryStatus=retry-failed',
            severity: 'normal',
            topic: 'failed-messages',
          }),
        },
      ]);
    });

    it('notifies the admins of a paused run with high severity', async () => {
      const { notifier, sent } = setup();
      await notifier.autoRetryEnded(
        autoRun({ pausedReason: 'WhatsApp reported an account problem' }),
      );
      expect(sent).toHaveLength(1);
      expect(sent[0].payload).toMatchObject({
        title: 'Automatic retry paused: WhatsApp reported an account problem',
        severity: 'high',
        link: '/failed-messages?retryStatus=retry-failed',
      });
    });

    it('does not notify a run without failures', async () => {
      const { notifier, sent } = setup();
      await notifier.autoRetryEnded(autoRun({ failed: 0, succeeded: 40 }));
      expect(sent).toEqual([]);
    });

    it('does nothing when turned off or without admins', async () => {
      const off = setup({ autoRetry: false });
      await off.notifier.autoRetryEnded(autoRun());
      expect(off.sent).toEqual([]);

      const noAdmins = setup({ adminRefs: [] });
      await noAdmins.notifier.autoRetryEnded(autoRun());
      expect(noAdmins.sent).toEqual([]);
      expect(noAdmins.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('roles.admin'),
      );
    });
  });

  it('only logs when sending fails', async () => {
    const { notifier, notifications, logger } = setup();
    jest
      .spyOn(notifications, 'send')
      .mockRejectedValue(new Error('notifications backend is down'));
    await expect(notifier.bulkRetryEnded(bulkRetry())).resolves.toBeUndefined();
    await expect(notifier.autoRetryEnded(autoRun())).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('notifications backend is down'),
    );
  });
});
