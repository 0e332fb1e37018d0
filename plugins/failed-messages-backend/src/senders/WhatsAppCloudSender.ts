import { CustomErrorBase } from '@backstage/errors';
import { ProviderError } from '@msgops/plugin-failed-messages-common';
import {
  MessageSender,
  SendRequest,
  SendResult,
} from '@msgops/plugin-failed-messages-node';
import { Dispatcher, Pool } from 'undici';
import { WhatsAppSettings } from '../config';
import { WhatsAppAccountSettings } from '../numbers/readWhatsAppAccounts';

/**
 * The request reached WhatsApp but no usable answer came back (success
 * without a message id, a body cut off, a gateway error, a timeout or reset
 * after the body was written), so it may have accepted the message. Thrown
 * rather than resolved as a failure so that the engine records the attempt
 * as outcome-unknown instead of sending twice.
 */
export class UnknownSendOutcomeError extends CustomErrorBase {
  name = 'UnknownSendOutcomeError' as const;
}

/**
 * The request failed after undici started it on a connected socket, which
 * it writes at once: WhatsApp may have read it.
 */
class RequestWrittenError extends Error {
  constructor(readonly reason: unknown, readonly timedOut: boolean) {
    super('The request failed after it was sent');
  }
}

/** WhatsApp did not answer within the sender's timeout. */
class SendTimeoutError extends Error {}

/** Gateway answers: Graph behind them may have taken the message. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

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

function reasonOf(error: unknown): string {
  return (
    stringOrNull((error as { message?: unknown })?.message) ?? String(error)
  );
}

function acceptedMessageId(body: unknown): string | undefined {
  const id = (body as { messages?: Array<{ id?: unknown }> } | undefined)
    ?.messages?.[0]?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** WhatsApp's answer: its status, and its body as JSON when it is JSON. */
interface GraphAnswer {
  status: number;
  body: unknown;
}

/** The body as JSON, or undefined when it is not JSON. */
function parseJson(chunks: Buffer[]): unknown {
  try {
    return JSON.parse(
      (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString(
        'utf8',
      ),
    );
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

/** Where one number's sends go, and the token they carry. */
interface NumberEndpoint {
  /** The path on the API's origin. */
  path: string;
  accessToken: string;
}

/**
 * Resends messages through the WhatsApp Business Cloud API
 * (`POST /{version}/{phone-number-id}/messages`), from the number that sent
 * the original, with its account's token.
 */
export class WhatsAppCloudSender implements MessageSender {
  private readonly endpoints = new Map<string, NumberEndpoint>();
  /** Redacted from error texts: every account's token. */
  private readonly tokens: string[];
  /** Named in network error messages. */
  private readonly origin: string;
  /**
   * undici's connection pool, kept alive, dispatched to directly: at
   * thousands of sends a second, fetch's web streams took a quarter of the
   * backend's CPU, and Node's own HTTP client a sixth more than this
   * (`yarn bench:retry` a).
   */
  private readonly pool: Pool;

  constructor(
    private readonly settings: WhatsAppSettings,
    accounts: WhatsAppAccountSettings[],
  ) {
    // Parsed here so that a malformed baseUrl fails at start-up, not per send.
    const { origin } = new URL(joinUrl(settings.baseUrl, settings.apiVersion));
    this.origin = origin;
    this.pool = new Pool(origin);
    for (const account of accounts) {
      const { accessToken } = account;
      // readWhatsAppAccounts requires a token of every account for this sender.
      if (!accessToken) {
        throw new Error(
          `The WhatsApp sender needs an access token for account ${account.id}`,
        );
      }
      for (const number of account.numbers) {
        const url = new URL(
          joinUrl(
            settings.baseUrl,
            settings.apiVersion,
            encodeURIComponent(number.phoneNumberId),
            'messages',
          ),
        );
        this.endpoints.set(number.phoneNumberId, {
          path: `${url.pathname}${url.search}`,
          accessToken,
        });
      }
    }
    this.tokens = accounts.flatMap(account =>
      account.accessToken ? [account.accessToken] : [],
    );
  }

  async send({
    messageId,
    recipient,
    phoneNumberId,
    payload,
  }: SendRequest): Promise<SendResult> {
    const endpoint = this.endpointOf(phoneNumberId);
    if (!endpoint) {
      // Nothing was sent: the engine refuses such resends before they get here.
      return this.failed({
        code: 'number-not-configured',
        title: 'Business number not configured',
        message: `No configured business number ${
          phoneNumberId ?? '(none given)'
        } to send from`,
        details: null,
      });
    }
    const body = {
      ...payload,
      messaging_product: 'whatsapp',
      // Always the recipient the page shows, whatever an older stored
      // payload says: a record's recipient is what a person decided on.
      to: recipient,
      // Echoed on every status webhook of the resend, tying it to our record.
      biz_opaque_callback_data: messageId,
    };

    let response: GraphAnswer;
    try {
      response = await this.post(endpoint, JSON.stringify(body));
    } catch (error) {
      if (error instanceof RequestWrittenError) {
        throw new UnknownSendOutcomeError(
          `${
            error.timedOut
              ? `WhatsApp did not answer within ${this.settings.timeoutMs} ms`
              : `The connection to WhatsApp broke (${reasonOf(error.reason)})`
          } after the request was sent: the message may have been sent`,
        );
      }
      return this.failed({
        code: 'network-error',
        title: null,
        message:
          error instanceof SendTimeoutError
            ? `Could not reach WhatsApp at ${this.origin} within ${this.settings.timeoutMs} ms`
            : `Could not reach WhatsApp at ${this.origin}: ${reasonOf(error)}`,
        details: null,
      });
    }

    const responseBody = response.body;
    // Graph errors can come with any HTTP status, so the body decides first.
    if (isGraphErrorBody(responseBody)) {
      return this.failed(graphProviderError(responseBody));
    }
    if (response.status >= 200 && response.status < 300) {
      const providerMessageId = acceptedMessageId(responseBody);
      if (providerMessageId) {
        return { outcome: 'accepted', providerMessageId };
      }
      throw new UnknownSendOutcomeError(
        `WhatsApp answered ${response.status} without a message id: the message may have been sent`,
      );
    }
    if (GATEWAY_STATUSES.has(response.status)) {
      // A proxy in front of Graph gave up waiting; Graph may still have sent.
      throw new UnknownSendOutcomeError(
        `WhatsApp answered HTTP ${response.status} without error details: the message may have been sent`,
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

  /**
   * Closes the kept-alive connections to WhatsApp once the sends in flight
   * have their answers: a stopping backend lets go of them at once instead
   * of when they time out.
   */
  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Where a send from the number goes; without one, the only number's. */
  private endpointOf(phoneNumberId: string | null): NumberEndpoint | undefined {
    if (phoneNumberId !== null) {
      return this.endpoints.get(phoneNumberId);
    }
    return this.endpoints.size === 1
      ? [...this.endpoints.values()][0]
      : undefined;
  }

  /**
   * Posts the body; rejects only when no answer arrived, with a
   * RequestWrittenError once the request was handed to a connection (it may
   * have been read). Once WhatsApp has answered, a body that breaks off
   * reads as no body: the message may have been accepted, so that must not
   * count as a network failure; the timeout still counts as no answer. The
   * timeout is a plain timer: an AbortSignal per send cost the engine
   * about 2% of its CPU at thousands of sends a second.
   */
  private post(endpoint: NumberEndpoint, body: string): Promise<GraphAnswer> {
    return new Promise((resolve, reject) => {
      // undici starts a request on a connected socket and writes it at once.
      let controller: Dispatcher.DispatchController | undefined;
      let status: number | undefined;
      let timedOut = false;
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => {
        timedOut = true;
        const timeout = new SendTimeoutError('WhatsApp did not answer in time');
        if (controller) {
          controller.abort(timeout);
        } else {
          reject(timeout);
        }
      }, this.settings.timeoutMs);
      this.pool.dispatch(
        {
          path: endpoint.path,
          method: 'POST',
          headers: {
            authorization: `Bearer ${endpoint.accessToken}`,
            'content-type': 'application/json',
          },
          body,
        },
        {
          onRequestStart: started => {
            if (timedOut) {
              // Timed out while waiting for a connection: never written.
              started.abort(new SendTimeoutError('Not sent in time'));
              return;
            }
            controller = started;
          },
          onResponseStart: (_, statusCode) => {
            status = statusCode;
          },
          onResponseData: (_, chunk) => {
            chunks.push(chunk);
          },
          onResponseEnd: () => {
            clearTimeout(timer);
            resolve({ status: status ?? 0, body: parseJson(chunks) });
          },
          onResponseError: (_, error) => {
            clearTimeout(timer);
            if (!controller) {
              reject(error);
            } else if (status !== undefined && !timedOut) {
              resolve({ status, body: undefined });
            } else {
              reject(new RequestWrittenError(error, timedOut));
            }
          },
        },
      );
    });
  }

  /**
   * Error texts are stored and shown to agents; a proxy or gateway that
   * echoes request headers must not leak the access token through them.
   */
  private failed(error: ProviderError): SendResult {
    const redact = (text: string | null) =>
      text === null
        ? null
        : this.tokens.reduce(
            (redacted, token) => redacted.replaceAll(token, '[redacted]'),
            text,
          );
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
