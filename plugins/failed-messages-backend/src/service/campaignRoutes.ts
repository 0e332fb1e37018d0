import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { failedMessagesReadPermission } from '@msgops/plugin-failed-messages-common';
import { FailedMessageReads } from '../database/FailedMessageStore';
import { createPermissionGuard } from '../permissions/requirePermission';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { documentedDefault } from './queryValidation';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

/** How many names GET /campaigns gives without a limit. */
const CAMPAIGN_LIST_LIMIT = Number(documentedDefault('ListCampaigns', 'limit'));

/** The route suggesting known campaign names as one types a filter. */
export function addCampaignRoutes(
  api: ApiRouter,
  options: {
    store: Pick<FailedMessageReads, 'listCampaigns'>;
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
  },
): void {
  const requirePermission = createPermissionGuard(options);

  api.get('/campaigns', async (req, res) => {
    await requirePermission(req, failedMessagesReadPermission);
    const { q, limit } = req.query;
    const items = await options.store.listCampaigns({
      text: q || undefined,
      limit: Number(limit ?? CAMPAIGN_LIST_LIMIT),
    });
    res.json({ items });
  });
}
