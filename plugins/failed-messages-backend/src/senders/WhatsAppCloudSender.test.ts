import {
  ACCESS_TOKEN,
  ACCOUNTS,
  NUMBER_ID,
  REQUEST,
  TEXT_PAYLOAD,
  useGraphApi,
} from '../__testUtils__/graphApi';
import { startFakeWhatsApp } from '../__testUtils__/fakeWhatsApp';
import { WhatsAppCloudSender } from './WhatsAppCloudSender';

describe('WhatsAppCloudSender', () => {
  const graph = useGraphApi();

  it('posts the stored payload with our id and returns the wamid', async () => {
    graph.answer(() => ({
      json: {
        messaging_product: 'whatsapp',
        contacts: [{ input: '+16505551234', wa_id: '16505551234' }],
        messages: [{ id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI' }],
      },
    }));

    const result = await new WhatsAppCloudSender(
      graph.settings(),
      ACCOUNTS,
    ).send(REQUEST);

    expect(result).toEqual({
      outcome: 'accepted',
      providerMessageId: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI',
    });
    expect(graph.requests).toEqual([
      {
        // The slashes of baseUrl and apiVersion do not double up.
        path: `/v23.0/${NUMBER_ID}/messages`,
        authorization: `Bearer ${ACCESS_TOKEN}`,
        contentType: 'application/json',
        body: { ...TEXT_PAYLOAD, biz_opaque_callback_data: 'fm-0001' },
      },
    ]);
  });

  it('fills in messaging_product and to, and replaces a stored callback id', async () => {
    graph.answer(() => ({ json: { messages: [{ id: 'wamid.A' }] } }));

    await new WhatsAppCloudSender(graph.settings(), ACCOUNTS).send({
      messageId: 'fm-0002',
      recipient: '+447700900123',
      phoneNumberId: NUMBER_ID,
      payload: {
        type: 'template',
        template: { name: 'order_update', language: { code: 'en_US' } },
        biz_opaque_callback_data: 'id-of-the-original-send',
      },
    });

    expect(graph.requests.map(r => r.body)).toEqual([
      {
        messaging_product: 'whatsapp',
        to: '+447700900123',
        type: 'template',
        template: { name: 'order_update', language: { code: 'en_US' } },
        biz_opaque_callback_data: 'fm-0002',
      },
    ]);
  });

  it('sends from the number that sent the original, with its account token', async () => {
    graph.answer(() => ({
      json: { messages: [{ id: `wamid.${graph.requests.length}` }] },
    }));
    const sender = new WhatsAppCloudSender(graph.settings(), [
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

    expect(
      graph.requests.map(({ path, authorization }) => ({
        path,
        authorization,
      })),
    ).toEqual([
      {
        path: '/v23.0/2065550002/messages',
        authorization: 'Bearer EAAGsecondAccountToken',
      },
      {
        path: `/v23.0/${NUMBER_ID}/messages`,
        authorization: `Bearer ${ACCESS_TOKEN}`,
      },
      {
        path: '/v23.0/2065550001/messages',
        authorization: 'Bearer EAAGsecondAccountToken',
      },
    ]);
  });

  it('sends nothing from a number that is not configured', async () => {
    graph.answer(() => ({ json: { messages: [{ id: 'wamid.X' }] } }));

    const result = await new WhatsAppCloudSender(
      graph.settings(),
      ACCOUNTS,
    ).send({
      ...REQUEST,
      phoneNumberId: '4930901820',
    });

    expect(result).toEqual({
      outcome: 'failed',
      error: expect.objectContaining({ code: 'number-not-configured' }),
    });
    expect(graph.requests).toEqual([]);
  });

  it("sends to the record's recipient, not to another number in the stored payload", async () => {
    graph.answer(() => ({ json: { messages: [{ id: 'wamid.B' }] } }));

    await new WhatsAppCloudSender(graph.settings(), ACCOUNTS).send({
      ...REQUEST,
      payload: { ...TEXT_PAYLOAD, to: '+4915112345678' },
    });

    expect(graph.requests.map(r => r.body.to)).toEqual(['+16505551234']);
  });

  it('lets go of its kept-alive connection when closed, once the send in flight has its answer', async () => {
    let held: Promise<void> | undefined;
    const meta = await startFakeWhatsApp(() => ({ accept: true, after: held }));
    try {
      const sender = new WhatsAppCloudSender(
        { ...graph.settings(), baseUrl: `${meta.baseUrl}/` },
        ACCOUNTS,
      );
      await sender.send(REQUEST);
      expect(await meta.openConnections()).toBe(1);

      let answer!: () => void;
      held = new Promise(resolve => (answer = resolve));
      const inFlight = sender.send({ ...REQUEST, messageId: 'fm-0003' });
      while (meta.requests.length < 2) {
        await new Promise(resolve => setTimeout(resolve, 5));
      }
      const closed = sender.close();
      answer();

      expect(await inFlight).toMatchObject({ outcome: 'accepted' });
      await closed;
      // Kept alive, the connection would stay open for seconds.
      const deadline = Date.now() + 1000;
      while ((await meta.openConnections()) > 0 && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 10));
      }
      expect(await meta.openConnections()).toBe(0);
    } finally {
      await meta.close();
    }
  });
});
