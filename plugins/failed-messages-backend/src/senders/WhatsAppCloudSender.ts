import { CustomErrorBase } from '@backstage/errors';
import { ProviderError } from '@internal/plugin-failed-messages-common';
import {
  MessageSender,
  SendRequest,
  SendResult,
} from '@internal/plugin-failed-messages-node';
import { WhatsAppSettings } from '../config';

/**
 * WhatsApp answered with success but without a message id, so it may have
 * accepted the message. Thrown rather than resolved as a failure so that the
 * engine records the attempt as outcome-unknown instead of sending twice.
 */
export class UnknownSendOutcomeError extends CustomErrorBase {
  name = 'UnknownSendOutcomeError' as const;
}

/** The parts of a Graph API error body we read; all else is ignored. */
interface GraphErrorBody {
  error: {
    code: number | string;
    message?: unknown;
    error_data?: { details?: unknown };
  };
}

// Graph titles now come inside the message, e.g. "(#130429) Rate limit hit".
const TITLE_IN_MESSAGE = /^\(#\d+\)\s*(.+)$/s;

function isGraphErrorBody(body: unknown): body is GraphErrorBody {
  const code = (body as GraphErrorBody | undefined)?.error?.code;
  return (
    (typeof code === 'number' && Number.isInteger(code)) ||
    (typeof code === 'string' && /^\d+$/.test(code))
  );
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function graphProviderError({ error }: GraphErrorBody): ProviderError {
  const message = stringOrNull(error.message);
  return {
    // Meta asks integrations to key on the numeric code, not the title.
    code: String(error.code),
    title: message?.match(TITLE_IN_MESSAGE)?.[1].trim() ?? null,
    message,
    details: stringOrNull(error.error_data?.details),
  };
}

function acceptedMessageId(body: unknown): string | undefined {
  const id = (body as { messages?: Array<{ id?: unknown }> } | undefined)
    ?.messages?.[0]?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The body as JSON, or undefined when it is not JSON or cannot be read. */
async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text());
  } catch {
    return undefined;
  }
}

function joinUrl(...parts: string[]): string {
  return parts
    .map((part, index) =>
      index === 0 ? part.replace(/\/+$/, '') : part.replace(/^\/+|\/+$/g, ''),
    )
    .join('/');
}

/**
 * Resends messages through the WhatsApp Business Cloud API
 * (`POST /{version}/{phone-number-id}/messages`).
 */
export class WhatsAppCloudSender implements MessageSender {
  private readonly url: string;
  /** Named in network error messages. */
  private readonly origin: string;

  constructor(private readonly settings: WhatsAppSettings) {
    this.url = joinUrl(
      settings.baseUrl,
      settings.apiVersion,
      encodeURIComponent(settings.phoneNumberId),
      'messages',
    );
    // Parsed here so that a malformed baseUrl fails at start-up, not per send.
    this.origin = new URL(this.url).origin;
  }

  async send({
    messageId,
    recipient,
    payload,
  }: SendRequest): Promise<SendResult> {
    const body = {
      ...payload,
      messaging_product: 'whatsapp',
      to: payload.to ?? recipient,
      // Echoed on every status webhook of the resend, tying it to our record.
      biz_opaque_callback_data: messageId,
    };

    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.settings.accessToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      return this.failed({
        code: 'network-error',
        title: null,
        message: signal.aborted
          ? `No answer from WhatsApp within ${this.settings.timeoutMs} ms`
          : this.describeNetworkFailure(error),
        details: null,
      });
    }

    const responseBody = await readJson(response);
    // Graph errors can come with any HTTP status, so the body decides first.
    if (isGraphErrorBody(responseBody)) {
      return this.failed(graphProviderError(responseBody));
    }
    if (response.ok) {
      const providerMessageId = acceptedMessageId(responseBody);
      if (providerMessageId) {
        return { outcome: 'accepted', providerMessageId };
      }
      throw new UnknownSendOutcomeError(
        `WhatsApp answered ${response.status} without a message id: the message may have been sent`,
      );
    }
    if (response.status >= 500) {
      return this.failed({
        code: 'http-5xx',
        title: null,
        message: `WhatsApp answered HTTP ${response.status} without error details`,
        details: null,
      });
    }
    // Prefixed so that it can never collide with a numeric Graph code.
    return this.failed({
      code: `http-${response.status}`,
      title: `HTTP ${response.status}`,
      message: `WhatsApp answered HTTP ${response.status} without error details`,
      details: null,
    });
  }

  private describeNetworkFailure(error: unknown): string {
    // Node's fetch rejects with "fetch failed" and keeps the reason, such as
    // "connect ECONNREFUSED 127.0.0.1:443", in `cause`.
    const { message, cause } = error as {
      message?: unknown;
      cause?: { message?: unknown };
    };
    const reason =
      stringOrNull(cause?.message) ?? stringOrNull(message) ?? String(error);
    return `Could not reach WhatsApp at ${this.origin}: ${reason}`;
  }

  /**
   * Error texts are stored and shown to agents; a proxy or gateway that
   * echoes request headers must not leak the access token through them.
   */
  private failed(error: ProviderError): SendResult {
    const redact = (text: string | null) =>
      text?.replaceAll(this.settings.accessToken, '[redacted]') ?? null;
    return {
      outcome: 'failed',
      error: {
        code: error.code,
        title: redact(error.title),
        message: redact(error.message),
        details: redact(error.details),
      },
    };
  }
}
