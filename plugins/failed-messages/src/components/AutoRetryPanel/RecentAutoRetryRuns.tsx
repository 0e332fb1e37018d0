import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { AutoRetryRunFigures } from '@msgops/plugin-failed-messages-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { failedMessagesTranslationRef } from '../../translation';
import { formatExactTime } from '../../utils/formatTime';

/** The messages a run left alone. */
export function skippedTotal(run: AutoRetryRunFigures): number {
  return run.skipped.reduce((sum, { count }) => sum + count, 0);
}

/** The last automatic runs, newest first, with their counts and how each ended. */
export function RecentAutoRetryRuns(props: { runs: AutoRetryRunFigures[] }) {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  if (!props.runs.length) {
    return (
      <Typography variant="body2">{t('autoRetryPanel.noRuns')}</Typography>
    );
  }
  const resultOf = (run: AutoRetryRunFigures) => {
    if (!run.finishedAt) {
      return t('autoRetryPanel.resultGoing');
    }
    return run.pausedReason
      ? t('autoRetryPanel.resultPaused', { reason: run.pausedReason })
      : t('autoRetryPanel.resultFinished', {
          time: formatExactTime(run.finishedAt),
        });
  };
  return (
    <Table size="small" aria-label={t('autoRetryPanel.recentRuns')}>
      <TableHead>
        <TableRow>
          <TableCell>{t('autoRetryPanel.started')}</TableCell>
          <TableCell align="right">{t('autoRetryPanel.attempted')}</TableCell>
          <TableCell align="right">{t('autoRetryPanel.succeeded')}</TableCell>
          <TableCell align="right">{t('autoRetryPanel.failed')}</TableCell>
          <TableCell>{t('autoRetryPanel.skipped')}</TableCell>
          <TableCell>{t('autoRetryPanel.result')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.runs.map(run => (
          <TableRow key={run.startedAt}>
            <TableCell>
              <time dateTime={run.startedAt}>
                {formatExactTime(run.startedAt)}
              </time>
            </TableCell>
            <TableCell align="right">{run.attempted}</TableCell>
            <TableCell align="right">{run.succeeded}</TableCell>
            <TableCell align="right">{run.failed}</TableCell>
            <TableCell>
              {skippedTotal(run)}
              {run.skipped.length > 0 && (
                <Box component="ul" m={0} pl={2}>
                  {run.skipped.map(({ reason, count }) => (
                    <Typography key={reason} component="li" variant="caption">
                      {t('autoRetryPanel.skippedReason', {
                        number: String(count),
                        reason,
                      })}
                    </Typography>
                  ))}
                </Box>
              )}
            </TableCell>
            <TableCell>{resultOf(run)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
