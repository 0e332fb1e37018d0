import { newMessage } from '../../../__testUtils__/messages';
import { describeStore } from '../../__testUtils__/testStore';
import { DeliveryStatusReport, LoggedSend } from '../../SendLogStore';

const DAY = { fromDay: '2026-11-20', toDay: '2026-11-20' };
const NUMBER = '106540352242922';

const send = (externalId: string, overrides: Partial<LoggedSend> = {}) => ({
  externalId,
  phoneNumberId: NUMBER,
  recipient: '+16505551234',
  campaign: 'black-friday',
  templateName: 'bf_offer',
  payload: { messaging_product: 'whatsapp', to: '+16505551234', n: externalId },
  sentAt: new Date('2026-11-20T09:00:00Z'),
  ...overrides,
});

const status = (
  externalId: string,
  value: DeliveryStatusReport['status'],
  at = '2026-11-20T09:00:05Z',
): DeliveryStatusReport => ({
  externalId,
  status: value,
  at: new Date(at),
  recipient: '16505551234',
  phoneNumberId: NUMBER,
});

describeStore('send log', db => {
  it('answers a failed status with the logged send, and counts each status once', async () => {
    await db.store.logSends([send('wamid.A'), send('wamid.B')]);
    // Logging again changes nothing.
    await db.store.logSends([send('wamid.A', { campaign: 'other' })]);

    const { failures } = await db.store.recordDeliveryStatuses([
      status('wamid.A', 'sent'),
      status('wamid.A', 'failed'),
      status('wamid.B', 'delivered'),
    ]);
    expect(failures).toEqual(
      new Map([
        [
          'wamid.A',
          {
            externalId: 'wamid.A',
            phoneNumberId: NUMBER,
            recipient: '+16505551234',
            campaign: 'black-friday',
            templateName: 'bf_offer',
            payload: {
              messaging_product: 'whatsapp',
              to: '+16505551234',
              n: 'wamid.A',
            },
          },
        ],
      ]),
    );
    // Meta delivers again, and out of order: read before delivered.
    await db.store.recordDeliveryStatuses([
      status('wamid.B', 'read'),
      status('wamid.A', 'failed'),
    ]);
    await db.store.recordDeliveryStatuses([
      status('wamid.B', 'delivered'),
      status('wamid.B', 'sent'),
      status('wamid.B', 'read'),
    ]);

    expect(await db.store.getDeliveryAggregates(DAY)).toEqual({
      counts: [
        {
          phoneNumberId: NUMBER,
          campaign: 'black-friday',
          sent: 2,
          delivered: 1,
          read: 1,
          failed: 1,
        },
      ],
      recoveredByCampaign: [],
    });
  });

  it('counts a message seen only in statuses, and moves its counts to its campaign once logged', async () => {
    const { failures } = await db.store.recordDeliveryStatuses([
      status('wamid.EARLY', 'sent'),
      status('wamid.EARLY', 'failed'),
      status('wamid.UNLOGGED', 'delivered'),
    ]);
    expect(failures.get('wamid.EARLY')).toMatchObject({
      payload: null,
      campaign: null,
    });
    const failedFirst = await db.store.logSends([send('wamid.EARLY')]);
    expect(failedFirst.map(s => s.externalId)).toEqual(['wamid.EARLY']);
    // Logged once; its status counts are not counted again.
    expect(await db.store.logSends([send('wamid.EARLY')])).toEqual([]);

    const { counts } = await db.store.getDeliveryAggregates(DAY);
    expect(counts).toEqual(
      expect.arrayContaining([
        {
          phoneNumberId: NUMBER,
          campaign: 'black-friday',
          sent: 1,
          delivered: 0,
          read: 0,
          failed: 1,
        },
        {
          phoneNumberId: NUMBER,
          campaign: '',
          sent: 1,
          delivered: 1,
          read: 0,
          failed: 0,
        },
      ]),
    );
    expect(counts).toHaveLength(2);
  });

  it('fills in a failure record a status made, keeping its error, and schedules its automatic retry', async () => {
    const [record] = await db.store.insertMessages([
      newMessage({
        externalId: 'wamid.HOLE',
        payload: null,
        campaign: null,
        templateName: null,
        error: {
          code: '131049',
          title: 'Meta chose not to deliver',
          message: null,
          details: null,
        },
      }),
    ]);
    const filled = await db.store.fillInFailures(
      [
        {
          externalId: 'wamid.HOLE',
          payload: { messaging_product: 'whatsapp', text: { body: 'hi' } },
          campaign: 'black-friday',
          templateName: 'bf_offer',
          phoneNumberId: NUMBER,
        },
      ],
      () => 3600,
    );
    expect(filled).toBe(1);
    expect(await db.store.getMessage(record.id)).toMatchObject({
      payload: { messaging_product: 'whatsapp', text: { body: 'hi' } },
      campaign: 'black-friday',
      templateName: 'bf_offer',
      error: { code: '131049', title: 'Meta chose not to deliver' },
      nextAutomaticRetryAt: '2026-11-20T11:00:00.000Z',
      businessNumber: { phoneNumberId: NUMBER, displayPhoneNumber: null },
    });
    // Counted under its campaign now.
    const summary = await db.store.summarize({ campaign: 'black-friday' });
    expect(summary.total).toBe(1);
    // A record with its content is not filled in again.
    expect(
      await db.store.fillInFailures(
        [
          {
            externalId: 'wamid.HOLE',
            payload: { other: true },
            campaign: null,
            templateName: null,
            phoneNumberId: null,
          },
        ],
        () => 0,
      ),
    ).toBe(0);
  });

  it('nulls payloads past their retention and deletes old sends, keeping the counts', async () => {
    await db.store.logSends([
      send('wamid.OLD', { sentAt: new Date('2026-11-01T09:00:00Z') }),
      send('wamid.WEEK', { sentAt: new Date('2026-11-15T09:00:00Z') }),
      send('wamid.NEW'),
    ]);
    const changed = await db.store.expireSendLog({
      payloadsBefore: new Date('2026-11-18T00:00:00Z'),
      rowsBefore: new Date('2026-11-10T00:00:00Z'),
    });
    expect(changed).toBe(2);
    const { failures } = await db.store.recordDeliveryStatuses([
      status('wamid.WEEK', 'failed'),
      status('wamid.NEW', 'failed'),
    ]);
    expect(failures.get('wamid.WEEK')).toMatchObject({
      campaign: 'black-friday',
      payload: null,
    });
    expect(failures.get('wamid.NEW')?.payload).not.toBeNull();
    const all = await db.store.getDeliveryAggregates({
      fromDay: '2026-11-01',
      toDay: '2026-11-30',
    });
    expect(all.counts).toEqual([
      {
        phoneNumberId: NUMBER,
        campaign: 'black-friday',
        sent: 3,
        delivered: 0,
        read: 0,
        failed: 2,
      },
    ]);
  });

  it('nulls every expired payload when they take many chunks and share their send time', async () => {
    const sentAt = new Date('2026-11-12T09:00:00Z');
    const expired = Array.from({ length: 1200 }, (_, i) =>
      send(`wamid.BATCH-${String(i).padStart(4, '0')}`, {
        // Two send times, each shared by 600 sends across chunk boundaries.
        sentAt: i % 2 ? sentAt : new Date('2026-11-13T09:00:00Z'),
      }),
    );
    for (let start = 0; start < expired.length; start += 1000) {
      await db.store.logSends(expired.slice(start, start + 1000));
    }
    await db.store.logSends([send('wamid.KEPT')]);

    const changed = await db.store.expireSendLog({
      payloadsBefore: new Date('2026-11-18T00:00:00Z'),
      rowsBefore: new Date('2026-11-01T00:00:00Z'),
    });

    expect(changed).toBe(1200);
    const { failures } = await db.store.recordDeliveryStatuses([
      status('wamid.BATCH-0000', 'failed'),
      status('wamid.BATCH-0599', 'failed'),
      status('wamid.BATCH-1199', 'failed'),
      status('wamid.KEPT', 'failed'),
    ]);
    expect(failures.get('wamid.BATCH-0000')?.payload).toBeNull();
    expect(failures.get('wamid.BATCH-0599')?.payload).toBeNull();
    expect(failures.get('wamid.BATCH-1199')?.payload).toBeNull();
    expect(failures.get('wamid.KEPT')?.payload).not.toBeNull();
  });

  it('folds the shards of past days into one row per day, number and campaign, keeping the sums', async () => {
    const sends = Array.from({ length: 40 }, (_, i) => send(`wamid.S${i}`));
    // One call per send: each lands on a shard of its own choosing.
    for (const one of sends) {
      await db.store.logSends([one]);
      await db.store.recordDeliveryStatuses([
        status(one.externalId, 'delivered'),
      ]);
    }
    const rows = () =>
      db.knex('failed_message_delivery_counts').where('sent_day', '2026-11-20');
    expect((await rows()).length).toBeGreaterThan(1);
    const before = await db.store.getDeliveryAggregates(DAY);

    expect(await db.store.compactDeliveryCounts('2026-11-20')).toBe(0);
    expect(await db.store.compactDeliveryCounts('2026-11-21')).toBe(1);
    expect(await rows()).toHaveLength(1);
    expect(await db.store.getDeliveryAggregates(DAY)).toEqual(before);
    expect(before.counts[0]).toMatchObject({ sent: 40, delivered: 40 });
  });

  it('drops the counts of a past day that moved to the campaign of a send logged after its statuses', async () => {
    await db.store.recordDeliveryStatuses([status('wamid.LATE', 'delivered')]);
    await db.store.logSends([send('wamid.LATE')]);
    const campaigns = async () =>
      (
        await db
          .knex('failed_message_delivery_counts')
          .where('sent_day', '2026-11-20')
          .distinct('campaign')
      ).map(row => row.campaign);
    // The status's own key still holds its count and the count moved away.
    expect((await campaigns()).sort()).toEqual(['', 'black-friday']);

    expect(await db.store.compactDeliveryCounts('2026-11-21')).toBe(1);

    expect(await campaigns()).toEqual(['black-friday']);
    expect((await db.store.getDeliveryAggregates(DAY)).counts).toEqual([
      {
        phoneNumberId: NUMBER,
        campaign: 'black-friday',
        sent: 1,
        delivered: 1,
        read: 0,
        failed: 0,
      },
    ]);
  });
});
