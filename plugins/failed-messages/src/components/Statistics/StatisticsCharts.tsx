import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  Category,
  FailedMessageSummary,
  RetryStatistics,
} from '@msgops/plugin-failed-messages-common';
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
import { failedMessagesTranslationRef } from '../../translation';
import { categoryColours } from '../CategoryChip';
import { formatBucket, formatPercent } from './format';

const CHART_HEIGHT = 260;
/** The rate chart sits beside the rate figures, so it is smaller. */
const SMALL_CHART_HEIGHT = 160;

const useStyles = makeStyles(theme => ({
  figure: {
    margin: 0,
  },
  chart: {
    width: '100%',
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
  height?: number;
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
        style={{ height: props.height ?? CHART_HEIGHT }}
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

/** One line of a TrendLineChart. */
interface TrendLine {
  key: string;
  name: string;
  stroke: string;
  /** Dashed, to tell the line apart without colour. */
  dashed?: boolean;
  unit?: string;
}

/**
 * The line charts' common frame: grid, axes, tooltip and legend around one
 * line per series, over points labelled `label`. Built whole here because
 * recharts reads its chart's direct children by type.
 */
function TrendLineChart(props: {
  data: Array<Record<string, string | number | null>>;
  lines: TrendLine[];
  height: number;
  yAxis?: { domain?: [number, number]; unit?: string; width?: number };
  dot: boolean;
}) {
  const theme = useTheme();
  const axis = useAxisProps();
  const tooltip = useTooltipProps();
  return (
    <ResponsiveContainer width="100%" height={props.height}>
      <LineChart data={props.data} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
        <XAxis dataKey="label" {...axis} />
        <YAxis allowDecimals={false} {...props.yAxis} {...axis} />
        <Tooltip {...tooltip} cursor={{ stroke: theme.palette.divider }} />
        <Legend wrapperStyle={{ color: theme.palette.text.secondary }} />
        {props.lines.map(line => (
          <Line
            key={line.key}
            type="monotone"
            dataKey={line.key}
            name={line.name}
            unit={line.unit}
            stroke={line.stroke}
            strokeWidth={2}
            strokeDasharray={line.dashed ? '5 3' : undefined}
            dot={props.dot}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

/** The failure chart's stacked bars, bottom to top. */
const failureSeries: Array<{
  key: keyof FailedMessageSummary;
  category: Category;
}> = [
  { key: 'retryable', category: 'retryable' },
  { key: 'nonRetryable', category: 'non-retryable' },
  { key: 'businessLogic', category: 'business-logic' },
];

/** The retry chart's lines; the dashed one tells "not succeeded" apart without colour. */
const retrySeries: Array<{
  key: 'retries' | 'succeeded' | 'failed';
  label: 'retries' | 'succeeded' | 'notSucceeded';
  palette: 'info' | 'success' | 'error';
  dashed?: boolean;
}> = [
  { key: 'retries', label: 'retries', palette: 'info' },
  { key: 'succeeded', label: 'succeeded', palette: 'success' },
  { key: 'failed', label: 'notSucceeded', palette: 'error', dashed: true },
];

/** Failures per bucket, stacked by category in the category colours. */
export function FailuresTrendChart(props: { statistics: RetryStatistics }) {
  const { statistics } = props;
  const theme = useTheme();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const axis = useAxisProps();
  const tooltip = useTooltipProps();
  const weekly = statistics.bucket === 'week';
  const data = statistics.trend.map(point => ({
    label: formatBucket(t, point.bucketStart, statistics.bucket),
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
      title={t(weekly ? 'charts.failuresPerWeek' : 'charts.failuresPerDay')}
      description={t(
        weekly
          ? 'charts.failuresDescriptionWeeks'
          : 'charts.failuresDescriptionDays',
        { total: String(total), buckets: String(data.length) },
      )}
      columns={[
        { key: 'label', label: t(weekly ? 'charts.week' : 'charts.day') },
        ...failureSeries.map(series => ({
          key: series.key,
          label: t(`category.${series.category}`),
        })),
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
          {failureSeries.map(series => (
            <Bar
              key={series.key}
              dataKey={series.key}
              name={t(`category.${series.category}`)}
              stackId="failures"
              fill={categoryColours(theme, series.category).main}
              // Yellow on the light theme's white paper is 1.4:1; an outline
              // in the text colour gives every bar the 3:1 that WCAG asks of
              // graphics, in both themes.
              stroke={theme.palette.text.primary}
              strokeWidth={1}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** Retries per bucket with how many of them succeeded and failed. */
export function RetriesTrendChart(props: { statistics: RetryStatistics }) {
  const { statistics } = props;
  const theme = useTheme();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const weekly = statistics.bucket === 'week';
  const data = statistics.trend.map(point => ({
    label: formatBucket(t, point.bucketStart, statistics.bucket),
    retries: point.retries,
    succeeded: point.succeeded,
    failed: Math.max(point.retries - point.succeeded, 0),
  }));
  const retries = data.reduce((sum, point) => sum + point.retries, 0);
  const succeeded = data.reduce((sum, point) => sum + point.succeeded, 0);
  return (
    <ChartFigure
      title={t(weekly ? 'charts.retriesPerWeek' : 'charts.retriesPerDay')}
      description={t('charts.retriesDescription', {
        retries: String(retries),
        succeeded: String(succeeded),
        notSucceeded: String(retries - succeeded),
      })}
      columns={[
        { key: 'label', label: t(weekly ? 'charts.week' : 'charts.day') },
        ...retrySeries.map(({ key, label }) => ({
          key,
          label: t(`charts.${label}`),
        })),
      ]}
      rows={data}
    >
      <TrendLineChart
        data={data}
        lines={retrySeries.map(series => ({
          key: series.key,
          name: t(`charts.${series.label}`),
          stroke: theme.palette[series.palette].main,
          dashed: series.dashed,
        }))}
        height={CHART_HEIGHT}
        dot={false}
      />
    </ChartFigure>
  );
}

/** The rate chart's lines; the dashed one tells failures apart without colour. */
const rateSeries: Array<{
  key: 'failureRate' | 'deliveryRate';
  palette: 'error' | 'success';
  dashed?: boolean;
}> = [
  { key: 'deliveryRate', palette: 'success' },
  { key: 'failureRate', palette: 'error', dashed: true },
];

/**
 * The failure and delivery rates of each bucket's sends, in percent; a
 * bucket without sends leaves a gap rather than a fall to zero.
 */
export function DeliveryRatesTrendChart(props: {
  statistics: RetryStatistics;
}) {
  const { statistics } = props;
  const theme = useTheme();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const weekly = statistics.bucket === 'week';
  const percent = (rate: number | null) =>
    rate === null ? null : Math.round(rate * 1000) / 10;
  const points = statistics.trend.map(point => ({
    label: formatBucket(t, point.bucketStart, statistics.bucket),
    delivery: point.delivery,
  }));
  const lineColour = (palette: 'error' | 'success') =>
    // The main shades are too light on the light theme's white paper for
    // the 3:1 that WCAG asks of graphics, and too dark on the dark one's.
    theme.palette.type === 'dark'
      ? theme.palette[palette].light
      : theme.palette[palette].dark;
  return (
    <ChartFigure
      title={t(weekly ? 'charts.ratesPerWeek' : 'charts.ratesPerDay')}
      description={t('charts.ratesDescription', {
        failureRate: formatPercent(statistics.delivery.failureRate),
        deliveryRate: formatPercent(statistics.delivery.deliveryRate),
        sent: String(statistics.delivery.sent),
      })}
      columns={[
        { key: 'label', label: t(weekly ? 'charts.week' : 'charts.day') },
        { key: 'sent', label: t('delivery.columns.sent') },
        ...rateSeries.map(({ key }) => ({
          key,
          label: t(`delivery.columns.${key}`),
        })),
      ]}
      rows={points.map(({ label, delivery }) => ({
        label,
        sent: delivery.sent,
        failureRate: formatPercent(delivery.failureRate),
        deliveryRate: formatPercent(delivery.deliveryRate),
      }))}
      height={SMALL_CHART_HEIGHT}
    >
      <TrendLineChart
        data={points.map(({ label, delivery }) => ({
          label,
          failureRate: percent(delivery.failureRate),
          deliveryRate: percent(delivery.deliveryRate),
        }))}
        lines={rateSeries.map(series => ({
          key: series.key,
          name: t(`delivery.columns.${series.key}`),
          unit: '%',
          stroke: lineColour(series.palette),
          dashed: series.dashed,
        }))}
        height={SMALL_CHART_HEIGHT}
        yAxis={{ domain: [0, 100], unit: '%', width: 48 }}
        dot={points.length === 1}
      />
    </ChartFigure>
  );
}
