import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { RetryStatistics } from '@msgops/plugin-failed-messages-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useId, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { failedMessagesApiRef } from '../../api';
import { failedMessagesTranslationRef } from '../../translation';
import { describeError } from '../../utils/describeError';
import { ErrorCodeDocsLink } from '../ErrorCodeDocsLink';
import { FailuresTrendChart, RetriesTrendChart } from './StatisticsCharts';
import { CampaignsTable, DeliveryRates, NumbersTable } from './DeliveryFigures';
import { FigureTile } from './FigureTile';
import {
  StatisticsWindowDays,
  formatDuration,
  formatPercent,
  statisticsWindow,
} from './format';

type Bucket = 'day' | 'week';

const WINDOWS: ReadonlyArray<StatisticsWindowDays> = [7, 30, 90];

interface Choice<T extends string | number> {
  value: T;
  label: string;
}

/** A labelled native select over a fixed list of choices. */
function ChoiceField<T extends string | number>(props: {
  id: string;
  label: string;
  value: T;
  choices: ReadonlyArray<Choice<T>>;
  onChange: (value: T) => void;
}) {
  const { id, label, value, choices, onChange } = props;
  return (
    <TextField
      select
      id={id}
      label={label}
      variant="outlined"
      size="small"
      value={value}
      onChange={event =>
        onChange(
          // A native select reports its value as text.
          choices.find(choice => String(choice.value) === event.target.value)!
            .value,
        )
      }
      SelectProps={{ native: true }}
    >
      {choices.map(choice => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </TextField>
  );
}

/** How many error codes the table shows. */
const TOP_ERROR_CODES = 10;

function StatisticsTiles(props: { statistics: RetryStatistics }) {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const describeCounts = (counts: { succeeded: number; failed: number }) => {
    const finished = counts.succeeded + counts.failed;
    return t('statistics.succeededShare', {
      succeeded: String(counts.succeeded),
      percent: formatPercent(finished ? counts.succeeded / finished : null),
    });
  };
  const { retrySuccessRate, retries, byTrigger, medianSecondsToRecovery } =
    props.statistics;
  const other = {
    total: (byTrigger.scaffolder?.total ?? 0) + (byTrigger.action?.total ?? 0),
    succeeded:
      (byTrigger.scaffolder?.succeeded ?? 0) +
      (byTrigger.action?.succeeded ?? 0),
    failed:
      (byTrigger.scaffolder?.failed ?? 0) + (byTrigger.action?.failed ?? 0),
  };
  return (
    <Grid
      container
      spacing={2}
      component="section"
      aria-label={t('statistics.keyFigures')}
    >
      <FigureTile
        label={t('statistics.successRate')}
        value={formatPercent(retrySuccessRate)}
        detail={t('statistics.successRateDetail')}
      />
      <FigureTile
        label={t('statistics.retries')}
        value={String(retries.total)}
        detail={t('statistics.retriesDetail', {
          succeeded: String(retries.succeeded),
          failed: String(retries.failed),
        })}
      />
      <FigureTile
        label={t('statistics.medianRecovery')}
        value={formatDuration(t, medianSecondsToRecovery)}
        detail={t('statistics.medianRecoveryDetail')}
      />
      {(['automatic', 'manual', 'bulk'] as const).map(trigger => (
        <FigureTile
          key={trigger}
          label={t('statistics.triggerRetries', {
            trigger: t(`trigger.${trigger}`),
          })}
          value={String(byTrigger[trigger]?.total ?? 0)}
          detail={describeCounts(
            byTrigger[trigger] ?? { succeeded: 0, failed: 0 },
          )}
        />
      ))}
      {other.total > 0 && (
        <FigureTile
          label={t('statistics.otherRetries')}
          value={String(other.total)}
          detail={t('statistics.otherRetriesDetail', {
            counts: describeCounts(other),
          })}
        />
      )}
    </Grid>
  );
}

function TopErrorCodesTable(props: { statistics: RetryStatistics }) {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const titleId = useId();
  const rows = [...props.statistics.byErrorCode]
    .sort((a, b) => b.failures - a.failures)
    .slice(0, TOP_ERROR_CODES);
  return (
    <section aria-labelledby={titleId}>
      <Typography id={titleId} variant="h6" component="h3" gutterBottom>
        {t('statistics.topErrorCodes')}
      </Typography>
      {rows.length === 0 ? (
        <Typography color="textSecondary">
          {t('statistics.noFailures')}
        </Typography>
      ) : (
        <TableContainer component={Paper} variant="outlined">
          <Table size="small" aria-labelledby={titleId}>
            <TableHead>
              <TableRow>
                <TableCell>{t('statistics.code')}</TableCell>
                <TableCell>{t('statistics.errorTitle')}</TableCell>
                <TableCell align="right">{t('statistics.failures')}</TableCell>
                <TableCell align="right">{t('statistics.retries')}</TableCell>
                <TableCell align="right">
                  {t('statistics.recoveryRate')}
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(row => (
                <TableRow key={row.code}>
                  <TableCell>
                    <ErrorCodeDocsLink code={row.code} docsUrl={row.docsUrl}>
                      {row.code}
                    </ErrorCodeDocsLink>
                  </TableCell>
                  <TableCell>{row.title}</TableCell>
                  <TableCell align="right">{row.failures}</TableCell>
                  <TableCell align="right">{row.retries}</TableCell>
                  <TableCell align="right">
                    {formatPercent(row.successRate)}
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

function isEmpty(statistics: RetryStatistics): boolean {
  return (
    statistics.delivery.sent === 0 &&
    statistics.retries.total === 0 &&
    statistics.byErrorCode.every(entry => entry.failures === 0) &&
    statistics.trend.every(
      point =>
        point.retries === 0 &&
        point.failures.retryable +
          point.failures.nonRetryable +
          point.failures.businessLogic ===
          0,
    )
  );
}

/**
 * Statistics over a chosen window: delivery and failure rates, retry key
 * figures, trend charts, campaigns, business numbers and the error codes
 * that fail most. For users with the statistics permission.
 */
export function StatisticsPanel() {
  const api = useApi(failedMessagesApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const [days, setDays] = useState<StatisticsWindowDays>(30);
  const [bucket, setBucket] = useState<Bucket>('day');
  // '' for every campaign; the choices are those of the last answer for all.
  const [campaign, setCampaign] = useState('');
  const [campaigns, setCampaigns] = useState<string[]>([]);
  const id = useId();
  const statistics = useAsyncRetry(
    () =>
      api.getStatistics({
        ...statisticsWindow(days),
        bucket,
        ...(campaign && { campaign }),
      }),
    [api, days, bucket, campaign],
  );
  const answered = statistics.value;
  useEffect(() => {
    if (answered && !campaign) {
      setCampaigns(answered.byCampaign.map(entry => entry.campaign).sort());
    }
  }, [answered, campaign]);

  let body;
  if (statistics.error) {
    body = (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={statistics.retry}>
            {t('statistics.retry')}
          </Button>
        }
      >
        {t('statistics.loadFailed', { error: describeError(statistics.error) })}
      </Alert>
    );
  } else if (statistics.loading && !statistics.value) {
    body = <Progress />;
  } else if (statistics.value && isEmpty(statistics.value)) {
    body = (
      <Typography color="textSecondary">{t('statistics.empty')}</Typography>
    );
  } else if (statistics.value) {
    const value = statistics.value;
    body = (
      <>
        {statistics.loading && <Progress />}
        <DeliveryRates statistics={value} />
        <StatisticsTiles statistics={value} />
        <Grid container spacing={3}>
          <Grid item xs={12} lg={6}>
            <FailuresTrendChart statistics={value} />
          </Grid>
          <Grid item xs={12} lg={6}>
            <RetriesTrendChart statistics={value} />
          </Grid>
        </Grid>
        <CampaignsTable statistics={value} />
        <NumbersTable statistics={value} />
        <TopErrorCodesTable statistics={value} />
      </>
    );
  }

  return (
    <Box
      component="section"
      aria-label={t('statistics.title')}
      display="flex"
      flexDirection="column"
      gridGap={24}
    >
      {/* On the page's grey, the fields' grey labels would lack contrast. */}
      <Paper variant="outlined">
        <Box display="flex" gridGap={16} flexWrap="wrap" p={2}>
          <ChoiceField
            id={`${id}window`}
            label={t('statistics.window')}
            value={days}
            choices={WINDOWS.map(windowDays => ({
              value: windowDays,
              label: t('statistics.windowDays', { days: String(windowDays) }),
            }))}
            onChange={setDays}
          />
          <ChoiceField
            id={`${id}bucket`}
            label={t('statistics.groupBy')}
            value={bucket}
            choices={[
              { value: 'day', label: t('statistics.perDay') },
              { value: 'week', label: t('statistics.perWeek') },
            ]}
            onChange={setBucket}
          />
          {campaigns.length > 0 && (
            <ChoiceField
              id={`${id}campaign`}
              label={t('delivery.campaign')}
              value={campaign}
              choices={[
                { value: '', label: t('delivery.allCampaigns') },
                ...campaigns.map(name => ({ value: name, label: name })),
              ]}
              onChange={setCampaign}
            />
          )}
        </Box>
      </Paper>
      {body}
    </Box>
  );
}
