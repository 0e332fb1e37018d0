import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import request from 'supertest';
import { FailedMessagesSignal } from '@msgops/plugin-failed-messages-common';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { deliverStatuses } from '../__testUtils__/webhooks';
import { KnexFailedMessageStore } from '../database/KnexFailedMessageStore';
import { LEASE_SWEEP_TASK_ID, RETENTION_TASK_ID } from '../retry/autoRetryTask';
import { RecordingSignalsService } from '../__testUtils__/recordingServices';
import { reportFailures } from '../__testUtils__/reports';

jest.setTimeout(30_000);

const BASE = '/api/failed-messages';
const ADA = 'user:default/ada-admin';

describe('live-update signals', () => {
  const signals = new RecordingSignalsService();
  let scheduler: SchedulerService;
  let store: KnexFailedMessageStore;
  // The plugin's own scheduler, to run its tasks now, and its database, to
  // leave a claim behind as a process that died would.
  const insideThePlugin = createBackendModule({
    pluginId: 'failed-messages',
    moduleId: 'test-access',
    register(env) {
      env.registerInit({
        deps: {
          pluginScheduler: coreServices.scheduler,
          database: coreServices.database,
        },
        async init({ pluginScheduler, database }) {
          scheduler = pluginScheduler;
          store = new KnexFailedMessageStore(await database.getClient());
        },
      });
    },
  });
  const suite = useFailedMessagesBackend({
    meta: () => ({ accept: true }),
    features: [signals.factory(), insideThePlugin],
  });

  /** What open pages were told once the once-a-second throttle has passed. */
  async function announced(): Promise<FailedMessagesSignal[]> {
    await new Promise(resolve => setTimeout(resolve, 1500));
    const messages = signals.messages();
    signals.published.length = 0;
    return messages;
  }

  const report = (campaign: string, count: number, failedAt?: DateTime) =>
    reportFailures(suite.server, campaign, count, {
      failedAt,
      externalIds: true,
    });

  it('announces new reports once for a whole batch, and a repeat not at all', async () => {
    await report('batch', 50);
    expect(await announced()).toEqual([{ type: 'messages-changed' }]);

    await report('batch', 50);
    expect(await announced()).toEqual([]);
  });

  it('announces a manual retry', async () => {
    const [id] = await report('manual', 1);
    await announced();

    const res = await request(suite.server)
      .post(`${BASE}/messages/${id}/retry`)
      .set('Authorization', mockCredentials.user.header(ADA))
      .send({});
    expect(res.status).toBe(200);
    expect(await announced()).toEqual([{ type: 'messages-changed' }]);
  });

  it('announces a webhook that delivers a resend', async () => {
    const [id] = await report('webhook', 1);
    const retried = await request(suite.server)
      .post(`${BASE}/messages/${id}/retry`)
      .set('Authorization', mockCredentials.user.header(ADA))
      .send({});
    await announced();

    const res = await deliverStatuses(suite.server, [
      {
        id: retried.body.attempt.providerMessageId,
        status: 'delivered',
        timestamp: String(Math.floor(Date.now() / 1000)),
        biz_opaque_callback_data: id,
      },
    ]);
    expect(res.status).toBe(200);
    expect(await announced()).toEqual([{ type: 'messages-changed' }]);
  });

  it('announces a bulk retry as it goes and always its final status', async () => {
    await report('bulk', 30);
    await announced();

    const res = await request(suite.server)
      .post(`${BASE}/bulk-retries`)
      .set('Authorization', mockCredentials.user.header(ADA))
      .send({ filter: { campaign: 'bulk' }, reason: 'Rate limit over' });
    expect(res.status).toBe(202);
    const bulkRetryId = res.body.id;
    for (let i = 0; i < 200; i++) {
      const progress = await request(suite.server)
        .get(`${BASE}/bulk-retries/${bulkRetryId}`)
        .set('Authorization', mockCredentials.user.header(ADA));
      if (progress.body.status !== 'running') {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }

    const messages = await announced();
    const bulkSignals = messages.filter(m => m.type === 'bulk-retry');
    // A few at most, never one per message; the last is how it ended.
    expect(bulkSignals.length).toBeLessThan(5);
    expect(bulkSignals[bulkSignals.length - 1]).toEqual({
      type: 'bulk-retry',
      bulkRetryId,
      status: 'completed',
    });
    expect(messages).toContainEqual({ type: 'messages-changed' });
  });

  it('announces claims whose process died once their lease lapsed', async () => {
    const [id] = await report('lapsed', 1);
    const claimedAt = DateTime.utc().minus({ minutes: 10 });
    await store.claimAttempts([
      {
        message: (await store.getMessage(id))!,
        trigger: 'bulk',
        actor: ADA,
        forced: false,
        reason: null,
        bulkRetryId: null,
        now: claimedAt.toJSDate(),
        leaseUntil: claimedAt.plus({ minutes: 5 }).toJSDate(),
      },
    ]);
    await announced();

    await scheduler.triggerTask(LEASE_SWEEP_TASK_ID);
    let retryStatus;
    for (let i = 0; i < 100 && retryStatus !== 'outcome-unknown'; i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
      retryStatus = (
        await request(suite.server)
          .get(`${BASE}/messages/${id}`)
          .set('Authorization', mockCredentials.user.header(ADA))
      ).body.retryStatus;
    }
    expect(retryStatus).toBe('outcome-unknown');
    expect(await announced()).toEqual([{ type: 'messages-changed' }]);
  });

  it('announces the clean-up of messages past their retention', async () => {
    const [old] = await report(
      'expired',
      1,
      DateTime.utc().minus({ days: 100 }),
    );
    await announced();

    await scheduler.triggerTask(RETENTION_TASK_ID);
    for (let i = 0; i < 100; i++) {
      const res = await request(suite.server)
        .get(`${BASE}/messages/${old}`)
        .set('Authorization', mockCredentials.user.header(ADA));
      if (res.status === 404) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(await announced()).toEqual([{ type: 'messages-changed' }]);
  });

  it("announces a logged send's delivery that resolves an older failure, and one that resolves none not at all", async () => {
    const recipient = '+16505559001';
    const failedAt = DateTime.utc().minus({ hours: 2 });
    const reported = await request(suite.server)
      .post(`${BASE}/messages`)
      .set('Authorization', mockCredentials.service.header())
      .send({
        recipient,
        templateName: 'renewal',
        payload: { messaging_product: 'whatsapp', type: 'template' },
        error: { code: 130429 },
        failedAt: failedAt.toISO(),
      });
    expect(reported.status).toBe(201);
    const logged = await request(suite.server)
      .post(`${BASE}/sends`)
      .set('Authorization', mockCredentials.service.header())
      .send({
        sends: ['wamid.RENEWAL-1', 'wamid.RENEWAL-2'].map(externalId => ({
          externalId,
          recipient,
          templateName: 'renewal',
          payload: { messaging_product: 'whatsapp', type: 'template' },
          sentAt: failedAt.plus({ hours: 1 }).toISO(),
        })),
      });
    expect(logged.status).toBe(202);
    await announced();
    const delivered = (id: string) => ({
      id,
      status: 'delivered',
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: recipient.slice(1),
    });

    expect(
      (await deliverStatuses(suite.server, [delivered('wamid.RENEWAL-1')]))
        .status,
    ).toBe(200);
    expect(await announced()).toEqual([{ type: 'messages-changed' }]);
    const detail = await request(suite.server)
      .get(`${BASE}/messages/${reported.body.id}`)
      .set('Authorization', mockCredentials.user.header(ADA));
    expect(detail.body.resolution).toMatchObject({ cause: 'newer-delivery' });

    // The failure is resolved already: nothing changes on the page.
    expect(
      (await deliverStatuses(suite.server, [delivered('wamid.RENEWAL-2')]))
        .status,
    ).toBe(200);
    expect(await announced()).toEqual([]);
  });
});
