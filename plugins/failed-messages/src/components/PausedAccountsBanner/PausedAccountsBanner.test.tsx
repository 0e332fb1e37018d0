import { AccountPause } from '@msgops/plugin-failed-messages-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DateTime } from 'luxon';
import { HttpResponse, http } from 'msw';
import {
  baseUrl,
  renderPage,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';

const { server, serve } = setUpFakeBackend();

const euMainPause: AccountPause = {
  account: 'eu-main',
  code: '190',
  reason:
    'WhatsApp reported an account problem: Access token expired (190). Renew the token.',
  since: '2026-12-03T05:30:00.000Z',
};
const usBrandPause: AccountPause = {
  account: 'us-brand',
  code: '131031',
  reason:
    'WhatsApp reported an account problem: Account locked (131031). Contact Meta.',
  since: '2026-12-03T06:00:00.000Z',
};

/**
 * A backend whose accounts are paused until resumed: GET /auto-retry lists
 * them, POST /auto-retry/resume resumes one or all. Returns the bodies of
 * the resumes it saw.
 */
function servePaused(initiallyPaused: AccountPause[]) {
  serve();
  let paused = initiallyPaused;
  const resumes: unknown[] = [];
  server.use(
    http.get(`${baseUrl}/auto-retry`, () =>
      HttpResponse.json({
        enabled: true,
        schedule: { cron: '0 6 * * *' },
        maxAttempts: 3,
        nextRunAt: '2030-01-02T06:00:00.000Z',
        paused,
        lastRun: null,
      }),
    ),
    http.post(`${baseUrl}/auto-retry/resume`, async ({ request }) => {
      const body = (await request.json()) as { account?: string };
      resumes.push(body);
      const resumed = paused
        .filter(pause => !body.account || pause.account === body.account)
        .map(pause => pause.account);
      paused = paused.filter(pause => !resumed.includes(pause.account));
      return HttpResponse.json({ resumed, paused });
    }),
  );
  return resumes;
}

function banner() {
  return screen.findByRole('region', {
    name: 'Automatic and bulk retries are paused',
  });
}

describe('PausedAccountsBanner on the page', () => {
  it('names the paused account, its error and since when, in local time', async () => {
    servePaused([euMainPause]);
    await renderPage();

    const shown = await banner();
    const since = DateTime.fromISO(euMainPause.since).toLocaleString(
      DateTime.DATETIME_MED,
    );
    expect(within(shown).getByText(/^Account eu-main/)).toHaveTextContent(
      `Account eu-main since ${since}: error 190, ${euMainPause.reason}`,
    );
    expect(within(shown).getByText(since)).toHaveAttribute(
      'datetime',
      euMainPause.since,
    );
    // One account: its own Resume button is enough.
    expect(
      within(shown).queryByRole('button', { name: 'Resume all' }),
    ).not.toBeInTheDocument();
  });

  it('resumes an account for an admin and then no longer shows it', async () => {
    const resumes = servePaused([euMainPause]);
    await renderPage();

    await userEvent.click(
      within(await banner()).getByRole('button', {
        name: 'Resume account eu-main',
      }),
    );

    await waitFor(() =>
      expect(
        screen.queryByRole('region', {
          name: 'Automatic and bulk retries are paused',
        }),
      ).not.toBeInTheDocument(),
    );
    expect(resumes).toEqual([{ account: 'eu-main' }]);
  });

  it('resumes one of several accounts and keeps showing the others', async () => {
    const resumes = servePaused([euMainPause, usBrandPause]);
    await renderPage();

    const shown = await banner();
    expect(within(shown).getByText(/^Account us-brand/)).toHaveTextContent(
      /error 131031, .*Account locked/,
    );
    await userEvent.click(
      within(shown).getByRole('button', { name: 'Resume account us-brand' }),
    );

    await waitFor(() =>
      expect(
        within(shown).queryByText(/^Account us-brand/),
      ).not.toBeInTheDocument(),
    );
    expect(within(shown).getByText(/^Account eu-main/)).toBeInTheDocument();
    expect(resumes).toEqual([{ account: 'us-brand' }]);
  });

  it('resumes every paused account with Resume all', async () => {
    const resumes = servePaused([euMainPause, usBrandPause]);
    await renderPage();

    await userEvent.click(
      within(await banner()).getByRole('button', { name: 'Resume all' }),
    );

    await waitFor(() =>
      expect(
        screen.queryByRole('region', {
          name: 'Automatic and bulk retries are paused',
        }),
      ).not.toBeInTheDocument(),
    );
    expect(resumes).toEqual([{}]);
  });

  it('says why a resume failed', async () => {
    servePaused([euMainPause]);
    server.use(
      http.post(`${baseUrl}/auto-retry/resume`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'Not allowed here' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderPage();

    const shown = await banner();
    await userEvent.click(
      within(shown).getByRole('button', { name: 'Resume account eu-main' }),
    );

    expect(
      await within(shown).findByText('Could not resume: Not allowed here'),
    ).toBeInTheDocument();
    expect(within(shown).getByText(/^Account eu-main/)).toBeInTheDocument();
  });
});
