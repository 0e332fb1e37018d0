import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  BulkRetry,
  FailedMessageFilter,
} from '@msgops/plugin-failed-messages-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { Link as RouterLink, useLocation } from 'react-router-dom';
import { BulkRetryScope } from '../../api';
import { failedMessagesTranslationRef } from '../../translation';
import { BulkRetryDialog } from '../BulkRetryDialog';
import { BulkRetryRuns } from '../BulkRetryRuns';

export interface BulkRetryControlsProps {
  selectedIds: ReadonlySet<string>;
  filter: FailedMessageFilter;
  /** How many messages the current filter matches. */
  totalCount: number;
  /** A bulk retry ran (or may have): reload the list and the counts. */
  onFinished: () => void;
}

/** Says that the list shows one bulk retry's messages, with the way back. */
function BulkRetryFilterNotice() {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const params = new URLSearchParams(useLocation().search);
  params.delete('bulkRetryId');
  return (
    <Alert severity="info">
      {t('bulkRuns.filtered')}{' '}
      <Link component={RouterLink} to={`?${params}`}>
        {t('bulkRuns.showAll')}
      </Link>
    </Alert>
  );
}

/**
 * "Retry selected" and "Retry all matching", for those allowed to bulk
 * retry, and the recent bulk retries, each running one to watch again.
 */
export function BulkRetryControls(props: BulkRetryControlsProps) {
  const { selectedIds, filter, totalCount, onFinished } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const [open, setOpen] = useState<
    { scope: BulkRetryScope } | { run: BulkRetry }
  >();
  // The list of runs is asked again when a run starts or ends here.
  const [runsChanged, setRunsChanged] = useState(0);

  return (
    <>
      <Box
        role="toolbar"
        aria-label={t('bulkRetry.toolbar')}
        display="flex"
        flexWrap="wrap"
        style={{ gap: 8 }}
        mb={1}
      >
        <Button
          variant="outlined"
          color="primary"
          disabled={selectedIds.size === 0}
          onClick={() => setOpen({ scope: { ids: [...selectedIds] } })}
        >
          {t('bulkRetry.retrySelected', { count: selectedIds.size })}
        </Button>
        <Button
          variant="outlined"
          disabled={totalCount === 0}
          onClick={() => setOpen({ scope: { filter } })}
        >
          {t('bulkRetry.retryAllMatching', { count: totalCount })}
        </Button>
      </Box>
      {filter.bulkRetryId && <BulkRetryFilterNotice />}
      <BulkRetryRuns
        onWatch={run => setOpen({ run })}
        refreshKey={runsChanged}
      />
      {open && (
        <BulkRetryDialog
          {...open}
          onClose={started => {
            setOpen(undefined);
            if (started) {
              setRunsChanged(count => count + 1);
              onFinished();
            }
          }}
        />
      )}
    </>
  );
}
