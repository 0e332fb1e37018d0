import {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/**
 * Runs `work` inside an audit event: success with what it produced, or
 * failure with its error, which is then rethrown.
 */
export async function audited<T>(
  auditor: AuditorService,
  event: AuditorServiceCreateEventOptions,
  work: () => Promise<T>,
  resultMeta?: (result: T) => JsonObject,
): Promise<T> {
  const audit = await auditor.createEvent(event);
  try {
    const result = await work();
    await audit.success(resultMeta ? { meta: resultMeta(result) } : undefined);
    return result;
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}
