import { renderInTestApp } from '@backstage/test-utils';
import { RetryStatistics } from '@msgops/plugin-failed-messages-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CampaignsTable, DeliveryRates, NumbersTable } from './DeliveryFigures';

const campaign = (
  name: string,
  sent: number,
  failed: number,
  recovered = 0,
): RetryStatistics['byCampaign'][number] => ({
  campaign: name,
  sent,
  delivered: sent - failed,
  failed,
  recovered,
  failureRate: sent ? failed / sent : null,
  deliveryRate: sent ? (sent - failed) / sent : null,
});

/** A week of the trend with its sends; no retries or failures. */
const week = (
  bucketStart: string,
  delivery: RetryStatistics['trend'][number]['delivery'],
): RetryStatistics['trend'][number] => ({
  bucketStart,
  failures: { retryable: 0, nonRetryable: 0, businessLogic: 0 },
  retries: 0,
  succeeded: 0,
  delivery,
});

const statistics = {
  bucket: 'week',
  trend: [
    week('2026-11-16', {
      sent: 900,
      delivered: 862,
      failed: 28,
      failureRate: 0.031,
      deliveryRate: 0.958,
    }),
    week('2026-11-23', {
      sent: 0,
      delivered: 0,
      failed: 0,
      failureRate: null,
      deliveryRate: null,
    }),
    week('2026-11-30', {
      sent: 100,
      delivered: 88,
      failed: 12,
      failureRate: 0.12,
      deliveryRate: 0.88,
    }),
  ],
  delivery: {
    sent: 1000,
    delivered: 950,
    read: 700,
    failed: 40,
    failureRate: 0.04,
    deliveryRate: 0.95,
  },
  byCampaign: [
    campaign('order-updates', 600, 6),
    campaign('black-friday', 300, 30, 12),
    campaign('renewals', 100, 4),
    campaign('spring', 0, 0, 2),
  ],
  byNumber: [
    {
      phoneNumberId: '106540352242922',
      label: 'Support DE',
      sent: 900,
      delivered: 860,
      failed: 30,
      failureRate: 0.033,
      deliveryRate: 0.956,
    },
    {
      phoneNumberId: '109999000000001',
      label: null,
      sent: 100,
      delivered: 90,
      failed: 10,
      failureRate: 0.1,
      deliveryRate: 0.9,
    },
  ],
} as RetryStatistics;

const campaignColumn = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0].textContent);

describe('delivery figures', () => {
  it('show the failure and delivery rates of the sends', async () => {
    await renderInTestApp(<DeliveryRates statistics={statistics} />);
    const rates = screen.getByRole('region', { name: 'Delivery rates' });
    const failure = within(rates).getByRole('group', { name: 'Failure rate' });
    expect(failure).toHaveTextContent('4%');
    expect(failure).toHaveTextContent('40 of 1000 messages sent failed');
    expect(
      within(rates).getByRole('group', { name: 'Delivery rate' }),
    ).toHaveTextContent('95%950 delivered, 700 read');
  });

  it('chart the rates of each week, naming the overall rates and giving each week in a table', async () => {
    await renderInTestApp(<DeliveryRates statistics={statistics} />);
    const rates = screen.getByRole('region', { name: 'Delivery rates' });
    expect(
      within(rates).getByRole('figure', {
        name: 'Failure and delivery rates per week',
      }),
    ).toBeInTheDocument();
    expect(
      within(rates).getByRole('img', {
        name: 'Failure and delivery rates per week: failure rate 4% and delivery rate 95% of 1000 messages sent; a gap where nothing was sent',
      }),
    ).toBeInTheDocument();
    const table = within(rates).getByRole('table', {
      name: 'Failure and delivery rates per week',
    });
    expect(
      within(table)
        .getAllByRole('row')
        .map(row =>
          [
            ...within(row).queryAllByRole('columnheader'),
            ...within(row).queryAllByRole('cell'),
          ].map(cell => cell.textContent),
        ),
    ).toEqual([
      ['Week', 'Sent', 'Delivery rate', 'Failure rate'],
      ['Week of 16 Nov', '900', '96%', '3%'],
      ['Week of 23 Nov', '0', '—', '—'],
      ['Week of 30 Nov', '100', '88%', '12%'],
    ]);
  });

  it('show a dash, not 0%, when nothing was sent', async () => {
    await renderInTestApp(
      <DeliveryRates
        statistics={{
          ...statistics,
          delivery: {
            sent: 0,
            delivered: 0,
            read: 0,
            failed: 0,
            failureRate: null,
            deliveryRate: null,
          },
        }}
      />,
    );
    expect(
      screen.getByRole('group', { name: 'Failure rate' }),
    ).toHaveTextContent('—');
  });

  it('list the campaigns most sent first, sort by any column, and link each to its failures', async () => {
    await renderInTestApp(<CampaignsTable statistics={statistics} />);
    expect(campaignColumn()).toEqual([
      'order-updates',
      'black-friday',
      'renewals',
      'spring',
    ]);
    const row = screen.getByRole('row', { name: /black-friday/ });
    expect(
      within(row)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['black-friday', '300', '270', '30', '12', '10%', '90%']);

    await userEvent.click(screen.getByRole('button', { name: 'Failure rate' }));
    expect(campaignColumn()).toEqual([
      'black-friday',
      'renewals',
      'order-updates',
      'spring',
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Failure rate' }));
    expect(campaignColumn()[0]).toBe('spring');
    await userEvent.click(screen.getByRole('button', { name: 'Campaign' }));
    expect(campaignColumn()).toEqual([
      'black-friday',
      'order-updates',
      'renewals',
      'spring',
    ]);

    expect(
      screen.getByRole('link', {
        name: 'Show the failed messages of black-friday',
      }),
    ).toHaveAttribute('href', '/?campaign=black-friday');
  });

  it('list the business numbers by label, naming one not configured by its id', async () => {
    await renderInTestApp(<NumbersTable statistics={statistics} />);
    const table = screen.getByRole('table', { name: 'Business numbers' });
    expect(
      within(table).getByRole('row', { name: /Support DE/ }),
    ).toHaveTextContent('Support DE900860303%96%');
    expect(
      within(table).getByRole('row', { name: /not configured/ }),
    ).toHaveTextContent('109999000000001 (not configured)1009010');
  });
});
