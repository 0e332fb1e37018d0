import { HttpAuthService } from '@backstage/backend-plugin-api';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { FailedMessageIngestion } from './FailedMessageIngestion';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

/**
 * The send log's route: the sending services log what they sent, so a later
 * failure of it can be resent and delivery rates figured.
 */
export function addSendRoutes(
  api: ApiRouter,
  options: { httpAuth: HttpAuthService; ingestion: FailedMessageIngestion },
): void {
  api.post('/sends', async (req, res) => {
    await options.httpAuth.credentials(req, { allow: ['service'] });
    res.status(202).json(await options.ingestion.logSends(req.body));
  });
}
