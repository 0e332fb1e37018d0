import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { RetryStatistics } from '@msgops/plugin-failed-messages-common';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Typography from '@material-ui/core/Typography';
import { useId, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { failedMessagesTranslationRef } from '../../translation';
import { FigureTile } from './FigureTile';
import { DeliveryRatesTrendChart } from './StatisticsCharts';
import { formatPercent } from './format';

type CampaignRow = RetryStatistics['byCampaign'][number];
type SortKey = keyof CampaignRow;

const NUMBER_COLUMNS = [
  'sent',
  'delivered',
  'failed',
  'recovered',
  'failureRate',
  'deliveryRate',
] as const;

/** The overall failure and delivery rates of the window's sends, with their trend. */
export function DeliveryRates(props: { statistics: RetryStatistics }) {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const { sent, delivered, read, failed, failureRate, deliveryRate } =
    props.statistics.delivery;
  return (
    <Grid
      container
      spacing={2}
      component="section"
      aria-label={t('delivery.rates')}
    >
      <FigureTile
        label={t('delivery.failureRate')}
        value={formatPercent(failureRate)}
        detail={t('delivery.failureRateDetail', {
          failed: String(failed),
          sent: String(sent),
        })}
      />
      <FigureTile
        label={t('delivery.deliveryRate')}
        value={formatPercent(deliveryRate)}
        detail={t('delivery.deliveryRateDetail', {
          delivered: String(delivered),
          read: String(read),
        })}
      />
      <Grid item xs={12} md={6}>
        <DeliveryRatesTrendChart statistics={props.statistics} />
      </Grid>
    </Grid>
  );
}

/**
 * The campaigns of the window, sortable by any column; each links to the
 * list of its failures.
 */
export function CampaignsTable(props: { statistics: RetryStatistics }) {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const titleId = useId();
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({
    key: 'sent',
    desc: true,
  });
  const compare = (a: CampaignRow, b: CampaignRow) => {
    if (sort.key === 'campaign') {
      return a.campaign.localeCompare(b.campaign);
    }
    // A campaign without a rate (nothing sent) sorts below every rate.
    return (a[sort.key] ?? -1) - (b[sort.key] ?? -1);
  };
  const rows = [...props.statistics.byCampaign].sort((a, b) =>
    sort.desc ? compare(b, a) : compare(a, b),
  );
  const direction = sort.desc ? 'desc' : 'asc';
  const header = (key: SortKey, align: 'left' | 'right') => (
    <TableCell
      key={key}
      align={align}
      sortDirection={sort.key === key && direction}
    >
      <TableSortLabel
        active={sort.key === key}
        direction={sort.key === key ? direction : 'asc'}
        onClick={() =>
          setSort({
            key,
            // A new column starts with its largest (or A) first.
            desc: sort.key === key ? !sort.desc : key !== 'campaign',
          })
        }
      >
        {t(`delivery.columns.${key}`)}
      </TableSortLabel>
    </TableCell>
  );
  return (
    <section aria-labelledby={titleId}>
      <Typography id={titleId} variant="h6" component="h3" gutterBottom>
        {t('delivery.campaigns')}
      </Typography>
      {rows.length === 0 ? (
        <Typography color="textSecondary">
          {t('delivery.noCampaigns')}
        </Typography>
      ) : (
        <TableContainer component={Paper} variant="outlined">
          <Table size="small" aria-labelledby={titleId}>
            <TableHead>
              <TableRow>
                {header('campaign', 'left')}
                {NUMBER_COLUMNS.map(key => header(key, 'right'))}
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(row => (
                <TableRow key={row.campaign}>
                  <TableCell>
                    <Link
                      component={RouterLink}
                      to={`?${new URLSearchParams({ campaign: row.campaign })}`}
                      aria-label={t('delivery.showFailuresOf', {
                        campaign: row.campaign,
                      })}
                    >
                      {row.campaign}
                    </Link>
                  </TableCell>
                  <TableCell align="right">{row.sent}</TableCell>
                  <TableCell align="right">{row.delivered}</TableCell>
                  <TableCell align="right">{row.failed}</TableCell>
                  <TableCell align="right">{row.recovered}</TableCell>
                  <TableCell align="right">
                    {formatPercent(row.failureRate)}
                  </TableCell>
                  <TableCell align="right">
                    {formatPercent(row.deliveryRate)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </section>
  );
}

/** The window's sends per business number, by its label. */
export function NumbersTable(props: { statistics: RetryStatistics }) {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const titleId = useId();
  const rows = props.statistics.byNumber;
  if (rows.length === 0) {
    return null;
  }
  return (
    <section aria-labelledby={titleId}>
      <Typography id={titleId} variant="h6" component="h3" gutterBottom>
        {t('delivery.numbers')}
      </Typography>
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" aria-labelledby={titleId}>
          <TableHead>
            <TableRow>
              <TableCell>{t('delivery.columns.number')}</TableCell>
              {(
                [
                  'sent',
                  'delivered',
                  'failed',
                  'failureRate',
                  'deliveryRate',
                ] as const
              ).map(key => (
                <TableCell key={key} align="right">
                  {t(`delivery.columns.${key}`)}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map(row => (
              <TableRow key={row.phoneNumberId}>
                <TableCell>
                  {row.label ??
                    t('delivery.unconfiguredNumber', {
                      phoneNumberId: row.phoneNumberId,
                    })}
                </TableCell>
                <TableCell align="right">{row.sent}</TableCell>
                <TableCell align="right">{row.delivered}</TableCell>
                <TableCell align="right">{row.failed}</TableCell>
                <TableCell align="right">
                  {formatPercent(row.failureRate)}
                </TableCell>
                <TableCell align="right">
                  {formatPercent(row.deliveryRate)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </section>
  );
}
