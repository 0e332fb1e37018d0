import { http, HttpResponse } from 'msw';
import {
  ACCESS_TOKEN,
  ACCOUNTS,
  ENDPOINT,
  NUMBER_ID,
  REQUEST,
  SETTINGS,
  TEXT_PAYLOAD,
  useGraphApi,
} from '../__testUtils__/graphApi';
import { WhatsAppCloudSender } from './WhatsAppCloudSender';

describe('WhatsAppCloudSender', () => {
  const { answer, server } = useGraphApi();

  it('posts the stored payload with our id and returns the wamid', async () => {
    let received: Request | undefined;
    answer(async ({ request }) => {
      received = request.clone();
      return HttpResponse.json({
        messaging_product: 'whatsapp',
        contacts: [{ input: '+16505551234', wa_id: '16505551234' }],
        messages: [{ id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI' }],
      });
    });

    const result = await new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send(
      REQUEST,
    );

    expect(result).toEqual({
      outcome: 'accepted',
      providerMessageId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI',
    });
    expect(received?.url).toBe(ENDPOINT);
    expect(received?.headers.get('authorization')).toBe(
      `Bearer ${ACCESS_TOKEN}`,
    );
    expect(received?.headers.get('content-type')).toBe('application/json');
    expect(await received?.json()).toEqual({
      ...TEXT_PAYLOAD,
      biz_opaque_callback_data: 'fm-0001',
    });
  });

  it('fills in messaging_product and to, and replaces a stored callback id', async () => {
    let body: unknown;
    answer(async ({ request }) => {
      body = await request.json();
      return HttpResponse.json({ messages: [{ id: 'wamid.A' }] });
    });

    await new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send({
      messageId: 'fm-0002',
      recipient: '+447700900123',
      phoneNumberId: NUMBER_ID,
      payload: {
        type: 'template',
        template: { name: 'order_update', language: { code: 'en_US' } },
        biz_opaque_callback_data: 'id-of-the-original-send',
      },
    });

    expect(body).toEqual({
      messaging_product: 'whatsapp',
      to: '+447700900123',
      type: 'template',
      template: { name: 'order_update', language: { code: 'en_US' } },
      biz_opaque_callback_data: 'fm-0002',
    });
  });

  it('sends from the number that sent the original, with its account token', async () => {
    const seen: Array<{ url: string; authorization: string | null }> = [];
    server.use(
      http.post(
        'https://graph.example.test/v23.0/:number/messages',
        ({ request }) => {
          seen.push({
            url: request.url,
            authorization: request.headers.get('authorization'),
          });
          return HttpResponse.json({
            messages: [{ id: `wamid.${seen.length}` }],
          });
        },
      ),
    );
    const sender = new WhatsAppCloudSender(SETTINGS, [
      ...ACCOUNTS,
      {
        id: 'us-brand',
        wabaId: '204000000000001',
        accessToken: 'EAAGsecondAccountToken',
        numbers: [
          { phoneNumberId: '2065550001', label: 'Sales US', ratePerSecond: 20 },
          { phoneNumberId: '2065550002', label: 'Care US', ratePerSecond: 20 },
        ],
      },
    ]);

    for (const phoneNumberId of ['2065550002', NUMBER_ID, '2065550001']) {
      expect(await sender.send({ ...REQUEST, phoneNumberId })).toMatchObject({
        outcome: 'accepted',
      });
    }

    expect(seen).toEqual([
      {
        url: 'https://graph.example.test/v23.0/2065550002/messages',
        authorization: 'Bearer EAAGsecondAccountToken',
      },
      { url: ENDPOINT, authorization: `Bearer ${ACCESS_TOKEN}` },
      {
        url: 'https://graph.example.test/v23.0/2065550001/messages',
        authorization: 'Bearer EAAGsecondAccountToken',
      },
    ]);
  });

  it('sends nothing from a number that is not configured', async () => {
    const seen: string[] = [];
    server.use(
      http.post('https://graph.example.test/*', ({ request }) => {
        seen.push(request.url);
        return HttpResponse.json({ messages: [{ id: 'wamid.X' }] });
      }),
    );

    const result = await new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send({
      ...REQUEST,
      phoneNumberId: '4930901820',
    });

    expect(result).toEqual({
      outcome: 'failed',
      error: expect.objectContaining({ code: 'number-not-configured' }),
    });
    expect(seen).toEqual([]);
  });

  it("sends to the record's recipient, not to another number in the stored payload", async () => {
    let body: { to?: string } | undefined;
    answer(async ({ request }) => {
      body = (await request.json()) as { to?: string };
      return HttpResponse.json({ messages: [{ id: 'wamid.B' }] });
    });

    await new WhatsAppCloudSender(SETTINGS, ACCOUNTS).send({
      ...REQUEST,
      payload: { ...TEXT_PAYLOAD, to: '+4915112345678' },
    });

    expect(body?.to).toBe('+16505551234');
  });
});
