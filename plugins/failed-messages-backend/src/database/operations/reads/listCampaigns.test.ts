import { newMessage } from '../../../__testUtils__/messages';
import { describeStore } from '../../__testUtils__/testStore';

describeStore('listCampaigns', db => {
  beforeEach(async () => {
    await db.store.insertMessages([
      newMessage({
        externalId: 'a',
        campaign: 'Black-Friday',
        failedAt: new Date('2026-11-20T10:00:00Z'),
      }),
      newMessage({
        externalId: 'b',
        campaign: 'spring_sale',
        failedAt: new Date('2026-11-22T10:00:00Z'),
      }),
      newMessage({
        externalId: 'c',
        campaign: '50% off',
        failedAt: new Date('2026-10-10T10:00:00Z'),
      }),
      newMessage({ externalId: 'd', campaign: null }),
    ]);
    await db.store.logSends([
      {
        externalId: 'wamid.S',
        phoneNumberId: '106540352242922',
        recipient: '+16505551234',
        campaign: 'black-friday-reminder',
        templateName: 'bf_offer',
        payload: { messaging_product: 'whatsapp' },
        sentAt: new Date('2026-12-01T09:00:00Z'),
      },
    ]);
    await db.store.recordDeliveryStatuses([
      {
        externalId: 'wamid.S',
        status: 'delivered',
        at: new Date('2026-12-01T09:00:05Z'),
        recipient: '16505551234',
        phoneNumberId: '106540352242922',
      },
    ]);
  });

  it('lists the campaigns of failures and sends, latest month first, then by name', async () => {
    expect(await db.store.listCampaigns({ limit: 20 })).toEqual([
      'black-friday-reminder',
      'Black-Friday',
      'spring_sale',
      '50% off',
    ]);
    expect(await db.store.listCampaigns({ limit: 2 })).toEqual([
      'black-friday-reminder',
      'Black-Friday',
    ]);
  });

  it('matches the text anywhere in the name, whatever its case', async () => {
    expect(await db.store.listCampaigns({ text: 'FRIDAY', limit: 20 })).toEqual(
      ['black-friday-reminder', 'Black-Friday'],
    );
    expect(
      await db.store.listCampaigns({ text: 'nothing', limit: 20 }),
    ).toEqual([]);
  });

  it('takes % and _ in the text literally', async () => {
    expect(await db.store.listCampaigns({ text: '%', limit: 20 })).toEqual([
      '50% off',
    ]);
    expect(await db.store.listCampaigns({ text: '_', limit: 20 })).toEqual([
      'spring_sale',
    ]);
    expect(await db.store.listCampaigns({ text: 'g_s', limit: 20 })).toEqual([
      'spring_sale',
    ]);
    expect(await db.store.listCampaigns({ text: 'k-f%', limit: 20 })).toEqual(
      [],
    );
  });
});
