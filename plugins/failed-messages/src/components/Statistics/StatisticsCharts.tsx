import { RetryStatistics } from '@internal/plugin-failed-messages-common';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import { ReactNode, useId } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { categoryColor } from '../FailedMessagesPage/CategoryChip';
import { categoryLabels } from '../FailedMessagesPage/labels';
import { formatBucket } from './format';

const CHART_HEIGHT = 260;

const useStyles = makeStyles(theme => ({
  figure: {
    margin: 0,
  },
  chart: {
    width: '100%',
    height: CHART_HEIGHT,
  },
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    padding: 0,
    margin: -1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
  title: {
    marginBottom: theme.spacing(1),
  },
}));

interface Column {
  key: string;
  label: string;
}

/**
 * A chart with a title, an accessible name and, for screen readers, the same
 * numbers as a table: the SVG itself says nothing to them. The charts' own
 * keyboard layer is off because the chart is one image to assistive tech.
 */
function ChartFigure(props: {
  title: string;
  description: string;
  columns: Column[];
  rows: Array<Record<string, string | number>>;
  children: ReactNode;
}) {
  const classes = useStyles();
  const titleId = useId();
  return (
    <figure className={classes.figure} aria-labelledby={titleId}>
      <Typography
        id={titleId}
        variant="h6"
        component="figcaption"
        className={classes.title}
      >
        {props.title}
      </Typography>
      <div
        className={classes.chart}
        role="img"
        aria-label={`${props.title}: ${props.description}`}
      >
        {props.children}
      </div>
      <table className={classes.visuallyHidden}>
        <caption>{props.title}</caption>
        <thead>
          <tr>
            {props.columns.map(column => (
              <th key={column.key} scope="col">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, index) => (
            <tr key={index}>
              {props.columns.map(column => (
                <td key={column.key}>{row[column.key]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function useAxisProps() {
  const theme = useTheme();
  const color = theme.palette.text.secondary;
  return {
    stroke: color,
    tick: { fill: color, fontSize: 12 },
  };
}

function useTooltipProps() {
  const theme = useTheme();
  return {
    contentStyle: {
      backgroundColor: theme.palette.background.paper,
      borderColor: theme.palette.divider,
      color: theme.palette.text.primary,
    },
    labelStyle: { color: theme.palette.text.primary },
    cursor: { fill: theme.palette.action.hover },
  };
}

/** Failures per bucket, stacked by category in the category colours. */
export function FailuresTrendChart(props: { statistics: RetryStatistics }) {
  const { statistics } = props;
  const theme = useTheme();
  const axis = useAxisProps();
  const tooltip = useTooltipProps();
  const unit = statistics.bucket === 'week' ? 'week' : 'day';
  const data = statistics.trend.map(point => ({
    label: formatBucket(point.bucketStart, statistics.bucket),
    retryable: point.failures.retryable,
    nonRetryable: point.failures.nonRetryable,
    businessLogic: point.failures.businessLogic,
  }));
  const total = data.reduce(
    (sum, point) =>
      sum + point.retryable + point.nonRetryable + point.businessLogic,
    0,
  );
  return (
    <ChartFigure
      title={`Failures per ${unit} by category`}
      description={`${total} failures in ${data.length} ${unit}s, stacked by category`}
      columns={[
        { key: 'label', label: unit === 'week' ? 'Week' : 'Day' },
        { key: 'retryable', label: categoryLabels.retryable },
        { key: 'nonRetryable', label: categoryLabels['non-retryable'] },
        { key: 'businessLogic', label: categoryLabels['business-logic'] },
      ]}
      rows={data}
    >
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={data} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
          <XAxis dataKey="label" {...axis} />
          <YAxis allowDecimals={false} {...axis} />
          <Tooltip {...tooltip} />
          <Legend wrapperStyle={{ color: theme.palette.text.secondary }} />
          <Bar
            dataKey="retryable"
            name={categoryLabels.retryable}
            stackId="failures"
            fill={categoryColor(theme, 'retryable')}
          />
          <Bar
            dataKey="nonRetryable"
            name={categoryLabels['non-retryable']}
            stackId="failures"
            fill={categoryColor(theme, 'non-retryable')}
          />
          <Bar
            dataKey="businessLogic"
            name={categoryLabels['business-logic']}
            stackId="failures"
            fill={categoryColor(theme, 'business-logic')}
          />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** Retries per bucket with how many of them succeeded and failed. */
export function RetriesTrendChart(props: { statistics: RetryStatistics }) {
  const { statistics } = props;
  const theme = useTheme();
  const axis = useAxisProps();
  const tooltip = useTooltipProps();
  const unit = statistics.bucket === 'week' ? 'week' : 'day';
  const data = statistics.trend.map(point => ({
    label: formatBucket(point.bucketStart, statistics.bucket),
    retries: point.retries,
    succeeded: point.succeeded,
    failed: Math.max(point.retries - point.succeeded, 0),
  }));
  const retries = data.reduce((sum, point) => sum + point.retries, 0);
  const succeeded = data.reduce((sum, point) => sum + point.succeeded, 0);
  return (
    <ChartFigure
      title={`Retries per ${unit}`}
      description={`${retries} retries, ${succeeded} succeeded, ${
        retries - succeeded
      } did not`}
      columns={[
        { key: 'label', label: unit === 'week' ? 'Week' : 'Day' },
        { key: 'retries', label: 'Retries' },
        { key: 'succeeded', label: 'Succeeded' },
        { key: 'failed', label: 'Not succeeded' },
      ]}
      rows={data}
    >
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={data} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
          <XAxis dataKey="label" {...axis} />
          <YAxis allowDecimals={false} {...axis} />
          <Tooltip {...tooltip} cursor={{ stroke: theme.palette.divider }} />
          <Legend wrapperStyle={{ color: theme.palette.text.secondary }} />
          <Line
            type="monotone"
            dataKey="retries"
            name="Retries"
            stroke={theme.palette.info.main}
            strokeWidth={2}
            dot={false}
          />
          <Line
            type="monotone"
            dataKey="succeeded"
            name="Succeeded"
            stroke={theme.palette.success.main}
            strokeWidth={2}
            dot={false}
          />
          <Line
            type="monotone"
            dataKey="failed"
            name="Not succeeded"
            stroke={theme.palette.error.main}
            strokeWidth={2}
            strokeDasharray="5 3"
            dot={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
