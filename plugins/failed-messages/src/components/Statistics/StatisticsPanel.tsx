import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { RetryStatistics } from '@internal/plugin-failed-messages-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
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
import { useId, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { failedMessagesApiRef } from '../../api';
import { describeError } from '../FailedMessagesPage/describeError';
import { triggerLabels } from '../FailedMessagesPage/labels';
import { FailuresTrendChart, RetriesTrendChart } from './StatisticsCharts';
import {
  StatisticsWindowDays,
  formatDuration,
  formatPercent,
  statisticsWindow,
} from './format';

type Bucket = 'day' | 'week';

const WINDOW_OPTIONS: ReadonlyArray<Choice<StatisticsWindowDays>> = [
  { value: 7, label: 'Last 7 days' },
  { value: 30, label: 'Last 30 days' },
  { value: 90, label: 'Last 90 days' },
];

const BUCKET_OPTIONS: ReadonlyArray<Choice<Bucket>> = [
  { value: 'day', label: 'Per day' },
  { value: 'week', label: 'Per week' },
];

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

function Tile(props: { label: string; value: string; detail?: string }) {
  const labelId = useId();
  return (
    <Grid item xs={12} sm={6} md={3}>
      <Card variant="outlined" role="group" aria-labelledby={labelId}>
        <CardContent>
          <Typography id={labelId} variant="body2" color="textSecondary">
            {props.label}
          </Typography>
          <Typography variant="h4" component="p">
            {props.value}
          </Typography>
          {props.detail && (
            <Typography variant="body2" color="textSecondary">
              {props.detail}
            </Typography>
          )}
        </CardContent>
      </Card>
    </Grid>
  );
}

function describeCounts(counts: { succeeded: number; failed: number }) {
  const finished = counts.succeeded + counts.failed;
  return `${counts.succeeded} succeeded (${formatPercent(
    finished ? counts.succeeded / finished : null,
  )})`;
}

function StatisticsTiles(props: { statistics: RetryStatistics }) {
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
    <Grid container spacing={2} component="section" aria-label="Key figures">
      <Tile
        label="Retry success rate"
        value={formatPercent(retrySuccessRate)}
        detail="Finished retries that WhatsApp accepted"
      />
      <Tile
        label="Retries"
        value={String(retries.total)}
        detail={`${retries.succeeded} succeeded, ${retries.failed} failed`}
      />
      <Tile
        label="Median time to recovery"
        value={formatDuration(medianSecondsToRecovery)}
        detail="From failure to delivery of a retried message"
      />
      {(['automatic', 'manual', 'bulk'] as const).map(trigger => (
        <Tile
          key={trigger}
          label={`${triggerLabels[trigger]} retries`}
          value={String(byTrigger[trigger]?.total ?? 0)}
          detail={describeCounts(
            byTrigger[trigger] ?? { succeeded: 0, failed: 0 },
          )}
        />
      ))}
      {other.total > 0 && (
        <Tile
          label="Other retries"
          value={String(other.total)}
          detail={`Scaffolder and actions: ${describeCounts(other)}`}
        />
      )}
    </Grid>
  );
}

function TopErrorCodesTable(props: { statistics: RetryStatistics }) {
  const titleId = useId();
  const rows = [...props.statistics.byErrorCode]
    .sort((a, b) => b.failures - a.failures)
    .slice(0, TOP_ERROR_CODES);
  return (
    <section aria-labelledby={titleId}>
      <Typography id={titleId} variant="h6" component="h3" gutterBottom>
        Top error codes
      </Typography>
      {rows.length === 0 ? (
        <Typography color="textSecondary">
          No failures in this window.
        </Typography>
      ) : (
        <TableContainer component={Paper} variant="outlined">
          <Table size="small" aria-labelledby={titleId}>
            <TableHead>
              <TableRow>
                <TableCell>Code</TableCell>
                <TableCell>Title</TableCell>
                <TableCell align="right">Failures</TableCell>
                <TableCell align="right">Retries</TableCell>
                <TableCell align="right">Recovery rate</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(row => (
                <TableRow key={row.code}>
                  <TableCell>{row.code}</TableCell>
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
 * Retry statistics over a chosen window: key figures, trend charts and the
 * error codes that fail most. For users with the statistics permission.
 */
export function StatisticsPanel() {
  const api = useApi(failedMessagesApiRef);
  const [days, setDays] = useState<StatisticsWindowDays>(30);
  const [bucket, setBucket] = useState<Bucket>('day');
  const id = useId();
  const statistics = useAsyncRetry(
    () => api.getStatistics({ ...statisticsWindow(days), bucket }),
    [api, days, bucket],
  );

  let body;
  if (statistics.error) {
    body = (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={statistics.retry}>
            Retry
          </Button>
        }
      >
        Could not load the statistics: {describeError(statistics.error)}
      </Alert>
    );
  } else if (statistics.loading && !statistics.value) {
    body = <Progress />;
  } else if (statistics.value && isEmpty(statistics.value)) {
    body = (
      <Typography color="textSecondary">
        No failures or retries in this window.
      </Typography>
    );
  } else if (statistics.value) {
    const value = statistics.value;
    body = (
      <>
        {statistics.loading && <Progress />}
        <StatisticsTiles statistics={value} />
        <Grid container spacing={3}>
          <Grid item xs={12} lg={6}>
            <FailuresTrendChart statistics={value} />
          </Grid>
          <Grid item xs={12} lg={6}>
            <RetriesTrendChart statistics={value} />
          </Grid>
        </Grid>
        <TopErrorCodesTable statistics={value} />
      </>
    );
  }

  return (
    <Box
      component="section"
      aria-label="Statistics"
      display="flex"
      flexDirection="column"
      gridGap={24}
    >
      {/* On the page's grey, the fields' grey labels would lack contrast. */}
      <Paper variant="outlined">
        <Box display="flex" gridGap={16} flexWrap="wrap" p={2}>
          <ChoiceField
            id={`${id}window`}
            label="Time window"
            value={days}
            choices={WINDOW_OPTIONS}
            onChange={setDays}
          />
          <ChoiceField
            id={`${id}bucket`}
            label="Group by"
            value={bucket}
            choices={BUCKET_OPTIONS}
            onChange={setBucket}
          />
        </Box>
      </Paper>
      {body}
    </Box>
  );
}
