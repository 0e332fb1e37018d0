import { mockCredentials } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import request from 'supertest';
import { ErrorCodeCatalogue } from '@msgops/plugin-failed-messages-common';
import { useFailedMessagesBackend } from '../__testUtils__/backend';
import { createTestDatabases } from '../__testUtils__/databases';

const databases = createTestDatabases();
const BASE = '/api/failed-messages';
const AGENT = mockCredentials.user.header('user:default/alex-agent');
const catalogue = new ErrorCodeCatalogue();
/** The operator's rule for 132015 in this suite's app-config. */
const TEMPLATE_TEAM_RULE =
  'Our template team re-enables a paused template at once; check it is active.';

describe.each(databases.eachSupportedId())(
  "a code's manual-retry rule on %s",
  databaseId => {
    const suite = useFailedMessagesBackend({
      database: { databases, id: databaseId },
      meta: () => ({ accept: true }),
      settings: {
        errorCodes: {
          '132015': { manualRetry: 'allowed', rule: TEMPLATE_TEAM_RULE },
        },
      },
    });

    beforeEach(() => {
      suite.meta.requests.length = 0;
    });

    /** A business-logic failure an hour ago, with its content. */
    async function reportFailure(code: number) {
      const res = await request(suite.server)
        .post(`${BASE}/messages`)
        .set('Authorization', mockCredentials.service.header())
        .send({
          recipient: '+16505551234',
          templateName: `template_${Math.random()}`,
          payload: {
            messaging_product: 'whatsapp',
            to: '+16505551234',
            type: 'template',
            template: { name: 'order_update', language: { code: 'en_US' } },
          },
          error: { code },
          failedAt: DateTime.utc().minus({ hours: 1 }).toISO(),
        });
      expect(res.status).toBe(201);
      return res.body.id as string;
    }

    const retry = (id: string) =>
      request(suite.server)
        .post(`${BASE}/messages/${id}/retry`)
        .set('Authorization', AGENT)
        .send({ reason: 'Checked the rule' });

    const detail = async (id: string) =>
      (
        await request(suite.server)
          .get(`${BASE}/messages/${id}`)
          .set('Authorization', AGENT)
      ).body;

    it('lists every code with its manual retry and rule, overrides applied', async () => {
      const res = await request(suite.server)
        .get(`${BASE}/error-codes`)
        .set('Authorization', AGENT);
      expect(res.status).toBe(200);
      for (const info of res.body) {
        expect(['allowed', 'after-wait', 'never']).toContain(info.manualRetry);
        expect(info.rule).toMatch(/^[A-Z].+\.$/);
      }
      const byCode = (code: string) =>
        res.body.find((info: { code: string }) => info.code === code);
      expect(byCode('131047')).toMatchObject({
        manualRetry: 'never',
        rule: catalogue.lookup('131047').rule,
      });
      expect(byCode('131043')).toMatchObject({ manualRetry: 'allowed' });
      expect(byCode('130429')).toMatchObject({ manualRetry: 'after-wait' });
      expect(byCode('132015')).toMatchObject({
        manualRetry: 'allowed',
        rule: TEMPLATE_TEAM_RULE,
      });
    });

    it('lets an agent resend a business-logic message whose rule allows it', async () => {
      const id = await reportFailure(131043);
      const before = await detail(id);
      expect(before.explanation).toMatchObject({
        manualRetry: 'allowed',
        rule: catalogue.lookup('131043').rule,
      });
      expect(before.eligibility.canRetry).toBe(true);

      const res = await retry(id);
      expect(res.status).toBe(200);
      expect(res.body.attempt).toMatchObject({
        trigger: 'manual',
        actor: 'user:default/alex-agent',
        outcome: 'succeeded',
      });
      expect(suite.meta.requests).toHaveLength(1);
    });

    it("refuses an agent's resend where the rule never allows one, with a 409 that states the rule", async () => {
      const id = await reportFailure(131047);
      const { rule } = catalogue.lookup('131047');
      expect((await detail(id)).eligibility).toMatchObject({
        canRetry: false,
        forceable: true,
      });

      const res = await retry(id);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain(rule);
      expect(res.body.error.message).toMatch(/must be forced/);
      expect(suite.meta.requests).toHaveLength(0);
      expect((await detail(id)).attempts).toEqual([]);
    });

    it("follows the operator's rule: a paused template resent at once", async () => {
      const id = await reportFailure(132015);
      expect((await detail(id)).explanation).toMatchObject({
        manualRetry: 'allowed',
        rule: TEMPLATE_TEAM_RULE,
      });
      const res = await retry(id);
      expect(res.status).toBe(200);
      expect(suite.meta.requests).toHaveLength(1);
    });
  },
);
