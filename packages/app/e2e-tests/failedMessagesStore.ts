import { APIRequestContext, expect } from '@playwright/test';

/** The static token of app-config.e2e.yaml: the tests report failures as a service would. */
const INGESTION_TOKEN = 'browser-tests-ingestion-token';
const API = '/api/failed-messages';
/** The service API takes at most this many reports per request. */
const BATCH_SIZE = 1000;

/** The business numbers of app-config.yaml's two demo accounts. */
export const BUSINESS_NUMBERS = {
  supportDe: '106540352242922',
  supportFr: '106540352242923',
  /** Sales US, at 20 sends a second. */
  salesUs: '206540352242924',
} as const;
const NUMBER_IDS = Object.values(BUSINESS_NUMBERS);

/** What a test says of a failure it reports; the rest is as a sender reports it. */
export interface FailureOf {
  externalId: string;
  recipient: string;
  campaign: string;
  code: number;
  /** With several numbers, a report names its sender. */
  phoneNumberId: string;
  /** Default an hour ago. */
  failedAt?: Date;
  templateName?: string;
}

/**
 * A failure report as a sending service makes it: a text message from a
 * business number, resendable because its payload is kept.
 */
export function failureReport(failure: FailureOf) {
  return {
    externalId: failure.externalId,
    recipient: failure.recipient,
    campaign: failure.campaign,
    templateName: failure.templateName,
    phoneNumberId: failure.phoneNumberId,
    payload: {
      messaging_product: 'whatsapp',
      to: failure.recipient,
      type: 'text',
      text: { body: 'Your order has shipped.' },
    },
    error: { code: failure.code },
    failedAt: (
      failure.failedAt ?? new Date(Date.now() - 3_600_000)
    ).toISOString(),
  };
}

/**
 * Reports failures through the service API of the backend at `baseURL`
 * (default the tests' own) and returns their ids.
 */
export async function reportFailures(
  request: APIRequestContext,
  failures: FailureOf[],
  baseURL = '',
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < failures.length; start += BATCH_SIZE) {
    const response = await request.post(`${baseURL}${API}/messages`, {
      headers: { Authorization: `Bearer ${INGESTION_TOKEN}` },
      data: {
        messages: failures.slice(start, start + BATCH_SIZE).map(failureReport),
      },
    });
    // 201, or 200 when every report was stored before.
    expect(response.status(), await response.text()).toBeLessThan(300);
    const { items } = await response.json();
    ids.push(...items.map((item: { id: string }) => item.id));
  }
  return ids;
}

/** A number unique to this call, for external ids and recipients of their own. */
export function uniqueSuffix(): string {
  return `${Date.now()}${Math.floor(Math.random() * 1000)}`;
}

// Codes from the catalogue, weighted roughly as a busy sender sees them.
const ERRORS: Array<{ code: number; weight: number }> = [
  { code: 130429, weight: 30 }, // rate limit: retryable
  { code: 131000, weight: 10 }, // something went wrong: retryable
  { code: 131026, weight: 20 }, // undeliverable: non-retryable
  { code: 131047, weight: 20 }, // re-engagement window: business logic
  { code: 131049, weight: 15 }, // marketing limit: business logic
  { code: 131050, weight: 5 }, // opted out of marketing: non-retryable
];
const CAMPAIGNS = [
  'black-friday',
  'order-updates',
  'appointment-reminders',
  'win-back',
];

/** Signs in as the development guest (an admin in app-config.yaml) and returns its token. */
export async function guestToken(request: APIRequestContext): Promise<string> {
  const response = await request.get('/api/auth/guest/refresh', {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(response.ok()).toBe(true);
  return (await response.json()).backstageIdentity.token;
}

export async function countMessages(
  request: APIRequestContext,
  token: string,
  filter = '',
): Promise<number> {
  const response = await request.get(`${API}/messages?limit=1&${filter}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.ok()).toBe(true);
  return (await response.json()).totalCount;
}

/** How many open failures the page opens on, as the guest sees them. */
export async function countOpenMessages(
  request: APIRequestContext,
): Promise<number> {
  return countMessages(request, await guestToken(request), 'state=open');
}

/** The `index`th of the failures fillStoreTo reports. */
function storeFailure(index: number, now: number): FailureOf {
  let pick = index % 100;
  const error =
    ERRORS.find(candidate => (pick -= candidate.weight) < 0) ?? ERRORS[0];
  return {
    externalId: `browser-tests-${index}`,
    recipient: `+4915${String(10_000_000 + index * 7919).slice(-8)}`,
    campaign: CAMPAIGNS[index % CAMPAIGNS.length],
    templateName: 'order_update',
    code: error.code,
    phoneNumberId: NUMBER_IDS[index % NUMBER_IDS.length],
    // Spread over the last 60 days, newest first, a few minutes apart.
    failedAt: new Date(now - ((index * 517_000) % (60 * 86_400_000))),
  };
}

/** Reports one new failure through the service API, as a sender would. */
export async function reportFailure(
  request: APIRequestContext,
  externalId: string,
): Promise<void> {
  await reportFailures(request, [
    { ...storeFailure(0, Date.now()), externalId, failedAt: new Date() },
  ]);
}

/**
 * Reports failures through the service API until the store holds `total`
 * messages (the demo data counts too). Reports carry external ids, so a rerun
 * against the same backend adds nothing twice.
 */
export async function fillStoreTo(
  request: APIRequestContext,
  total: number,
): Promise<void> {
  const token = await guestToken(request);
  const missing = total - (await countMessages(request, token));
  const now = Date.now();
  await reportFailures(
    request,
    Array.from({ length: Math.max(0, missing) }, (_, i) =>
      storeFailure(i, now),
    ),
  );
  expect(await countMessages(request, token)).toBe(total);
}
