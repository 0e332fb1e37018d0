import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  failedMessagesSenderExtensionPoint,
  SendRequest,
} from '@msgops/plugin-failed-messages-node';
import request from 'supertest';
import { startFailedMessagesBackend } from '../__testUtils__/backend';

describe('failedMessagesSenderExtensionPoint', () => {
  it('lets a module install another provider that retries then use', async () => {
    const sent: SendRequest[] = [];
    const otherProvider = createBackendModule({
      pluginId: 'failed-messages',
      moduleId: 'other-provider',
      register(reg) {
        reg.registerInit({
          deps: {
            senders: failedMessagesSenderExtensionPoint,
            logger: coreServices.logger,
          },
          async init({ senders }) {
            senders.setSender({
              async send(req) {
                sent.push(req);
                return { outcome: 'accepted', providerMessageId: 'other-1' };
              },
            });
          },
        });
      },
    });
    const { server } = await startFailedMessagesBackend({
      features: [otherProvider],
    });

    const created = await request(server)
      .post('/api/failed-messages/messages')
      .set('Authorization', mockCredentials.service.header())
      .send({
        recipient: '+16505551234',
        payload: { to: '+16505551234', body: 'hello' },
        error: { code: 130429 },
        failedAt: '2026-01-01T00:00:00Z',
      });
    const res = await request(server)
      .post(`/api/failed-messages/messages/${created.body.id}/retry`)
      .set('Authorization', mockCredentials.user.header())
      .send({});

    expect(res.status).toBe(200);
    expect(res.body.attempt.providerMessageId).toBe('other-1');
    expect(sent).toEqual([
      {
        messageId: created.body.id,
        recipient: '+16505551234',
        // No number is configured: the module's sender uses its own.
        phoneNumberId: null,
        payload: { to: '+16505551234', body: 'hello' },
      },
    ]);
  });
});
