import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { TranslationFunction } from '@backstage/frontend-plugin-api';
import { BulkRetry } from '@msgops/plugin-failed-messages-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import useMountedState from 'react-use/esm/useMountedState';
import { failedMessagesApiRef } from '../../api';
import { useLiveRefresh } from '../../hooks';
import { failedMessagesTranslationRef } from '../../translation';
import { describeError } from '../../utils/describeError';
import { formatExactTime } from '../../utils/formatTime';

/** How many of the latest bulk retries the page lists. */
export const BULK_RETRY_RUNS_SHOWN = 5;

/** Without signals, the list is asked this often for progress and new runs. */
const POLL_INTERVAL_MS = 5000;

type Translate = TranslationFunction<typeof failedMessagesTranslationRef.T>;

/** Who started a run: an entity's name without its kind and namespace. */
function starterOf(createdBy: string): string {
  return createdBy.replace(/^[^:/]+:(?:[^:/]+\/)?/, '');
}

/** What a run acted on, in words: the listed messages, or its filter. */
function scopeOf(t: Translate, run: BulkRetry): string {
  if (run.scope.selected !== undefined) {
    return t('bulkRuns.selected', { count: run.scope.selected });
  }
  const terms = Object.entries(run.scope.filter ?? {}).map(
    ([key, value]) => `${key}: ${[value].flat().join(', ')}`,
  );
  return terms.length
    ? t('bulkRuns.matching', { terms: terms.join('; ') })
    : t('bulkRuns.everyMessage');
}

/** How a run stands or ended, with its counts. */
function outcomeOf(t: Translate, run: BulkRetry): string {
  return t('bulkRuns.outcome', {
    status: t(`bulkRuns.status.${run.status}`),
    succeeded: String(run.succeeded),
    failed: String(run.failed),
    skipped: String(run.skipped),
  });
}

/** The link to the messages a run acted on, in every state. */
function messagesOf(run: BulkRetry): string {
  return `?${new URLSearchParams({ bulkRetryId: run.id, state: 'all' })}`;
}

export interface BulkRetryRunsProps {
  /** Opens a running bulk retry to watch it and stop it. */
  onWatch: (run: BulkRetry) => void;
  /** Changes when this page started or finished a run: the list is asked again. */
  refreshKey: number;
}

/**
 * The recent and running bulk retries: who, when, why, on what, how far and
 * how each ended. A running one opens to be watched and stopped, from any
 * browser and after a reload; a finished one links to its messages.
 */
export function BulkRetryRuns(props: BulkRetryRunsProps) {
  const { onWatch, refreshKey } = props;
  const api = useApi(failedMessagesApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const isMounted = useMountedState();
  const [runs, setRuns] = useState<BulkRetry[]>();
  const [error, setError] = useState<Error>();

  const load = useCallback(
    () =>
      api.listBulkRetries({ limit: BULK_RETRY_RUNS_SHOWN }).then(
        next => {
          if (isMounted()) {
            setRuns(next);
            setError(undefined);
          }
        },
        e => isMounted() && setError(e),
      ),
    [api, isMounted],
  );
  useEffect(() => {
    load();
  }, [load, refreshKey]);
  useLiveRefresh({
    refresh: load,
    concerns: signal => signal.type === 'bulk-retry',
    pollIntervalMs: POLL_INTERVAL_MS,
    minIntervalMs: 1000,
  });

  if (error) {
    return (
      <Alert severity="error">
        {t('bulkRuns.loadFailed', { error: describeError(error) })}
      </Alert>
    );
  }
  if (!runs?.length) {
    return null;
  }
  return (
    <Box component="section" mb={2} aria-labelledby="failed-messages-bulk-runs">
      <Typography variant="h6" component="h2" id="failed-messages-bulk-runs">
        {t('bulkRuns.title')}
      </Typography>
      <Table size="small" aria-labelledby="failed-messages-bulk-runs">
        <TableHead>
          <TableRow>
            <TableCell>{t('bulkRuns.started')}</TableCell>
            <TableCell>{t('bulkRuns.reason')}</TableCell>
            <TableCell>{t('bulkRuns.scope')}</TableCell>
            <TableCell>{t('bulkRuns.progress')}</TableCell>
            <TableCell>{t('bulkRuns.outcomeColumn')}</TableCell>
            <TableCell>
              <Typography variant="srOnly">{t('bulkRuns.actions')}</Typography>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {runs.map(run => (
            <TableRow key={run.id}>
              <TableCell>
                {t('bulkRuns.startedBy', {
                  time: formatExactTime(run.createdAt),
                  who: starterOf(run.createdBy),
                })}
              </TableCell>
              <TableCell>{run.reason ?? t('bulkRuns.noReason')}</TableCell>
              <TableCell>{scopeOf(t, run)}</TableCell>
              <TableCell>
                <LinearProgress
                  variant="determinate"
                  value={run.total ? (run.processed / run.total) * 100 : 100}
                  aria-label={t('bulkRuns.progressOf', {
                    time: formatExactTime(run.createdAt),
                  })}
                />
                <Typography variant="caption">
                  {t('bulkRuns.processed', {
                    processed: String(run.processed),
                    total: String(run.total),
                  })}
                </Typography>
              </TableCell>
              <TableCell>{outcomeOf(t, run)}</TableCell>
              <TableCell>
                {run.status === 'running' ? (
                  <Button
                    size="small"
                    onClick={() => onWatch(run)}
                    aria-label={t('bulkRuns.watchRun', {
                      time: formatExactTime(run.createdAt),
                    })}
                  >
                    {t('bulkRuns.watch')}
                  </Button>
                ) : (
                  <Link
                    component={RouterLink}
                    to={messagesOf(run)}
                    aria-label={t('bulkRuns.messagesOf', {
                      time: formatExactTime(run.createdAt),
                    })}
                  >
                    {t('bulkRuns.messages')}
                  </Link>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
