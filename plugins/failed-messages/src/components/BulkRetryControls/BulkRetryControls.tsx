import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { FailedMessageFilter } from '@internal/plugin-failed-messages-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { useState } from 'react';
import { BulkRetryScope } from '../../api';
import { failedMessagesTranslationRef } from '../../translation';
import { BulkRetryDialog } from '../BulkRetryDialog';

export interface BulkRetryControlsProps {
  selectedIds: ReadonlySet<string>;
  filter: FailedMessageFilter;
  /** How many messages the current filter matches. */
  totalCount: number;
  /** A bulk retry ran (or may have): reload the list and the counts. */
  onFinished: () => void;
}

/** "Retry selected" and "Retry all matching", for those allowed to bulk retry. */
export function BulkRetryControls(props: BulkRetryControlsProps) {
  const { selectedIds, filter, totalCount, onFinished } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const [scope, setScope] = useState<BulkRetryScope>();

  return (
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
        onClick={() => setScope({ ids: [...selectedIds] })}
      >
        {t('bulkRetry.retrySelected', { count: selectedIds.size })}
      </Button>
      <Button
        variant="outlined"
        disabled={totalCount === 0}
        onClick={() => setScope({ filter })}
      >
        {t('bulkRetry.retryAllMatching', { count: totalCount })}
      </Button>
      {scope && (
        <BulkRetryDialog
          scope={scope}
          onClose={started => {
            setScope(undefined);
            if (started) {
              onFinished();
            }
          }}
        />
      )}
    </Box>
  );
}
