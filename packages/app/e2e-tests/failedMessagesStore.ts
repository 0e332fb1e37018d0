import { APIRequestContext, expect } from '@playwright/test';

/** The static token of app-config.e2e.yaml: the tests report failures as a service would. */
const INGESTION_TOKEN = 'browser-tests-ingestion-token';
const API = '/api/failed-messages';
/** The service API takes at most this many reports per request. */
const BATCH_SIZE = 1000;

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

function report(index: number, now: number) {
  let pick = index % 100;
  const error =
    ERRORS.find(candidate => (pick -= candidate.weight) < 0) ?? ERRORS[0];
  // Spread over the last 60 days, newest first, a few minutes apart.
  const failedAt = new Date(now - ((index * 517_000) % (60 * 86_400_000)));
  return {
    externalId: `browser-tests-${index}`,
    recipient: `+4915${String(10_000_000 + index * 7919).slice(-8)}`,
    campaign: CAMPAIGNS[index % CAMPAIGNS.length],
    templateName: 'order_update',
    payload: {
      type: 'template',
      template: { name: 'order_update', language: { code: 'en' } },
    },
    error: { code: error.code },
    failedAt: failedAt.toISOString(),
  };
}

/** Reports one new failure through the service API, as a sender would. */
export async function reportFailure(
  request: APIRequestContext,
  externalId: string,
): Promise<void> {
  const response = await request.post(`${API}/messages`, {
    headers: { Authorization: `Bearer ${INGESTION_TOKEN}` },
    data: { ...report(0, Date.now()), externalId },
  });
  expect(response.status(), await response.text()).toBe(201);
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
  for (let start = 0; start < missing; start += BATCH_SIZE) {
    const messages = Array.from(
      { length: Math.min(BATCH_SIZE, missing - start) },
      (_, i) => report(start + i, now),
    );
    const response = await request.post(`${API}/messages`, {
      headers: { Authorization: `Bearer ${INGESTION_TOKEN}` },
      data: { messages },
    });
    expect(response.status(), await response.text()).toBeLessThan(300);
  }
  expect(await countMessages(request, token)).toBe(total);
}
