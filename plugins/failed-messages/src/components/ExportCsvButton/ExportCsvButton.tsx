import { fetchApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ResponseError } from '@backstage/errors';
import { FailedMessageFilter } from '@msgops/plugin-failed-messages-common';
import Button from '@material-ui/core/Button';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useState } from 'react';
import { failedMessagesApiRef } from '../../api';
import { failedMessagesTranslationRef } from '../../translation';

/**
 * Downloads every message the filter matches (not only the visible page) as CSV.
 * The file is fetched through the fetch API rather than followed as a plain link
 * because the backend needs the user's Backstage token.
 */
export function ExportCsvButton(props: {
  filter: FailedMessageFilter;
  onError: (error: Error) => void;
}) {
  const { filter, onError } = props;
  const api = useApi(failedMessagesApiRef);
  const fetchApi = useApi(fetchApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const [exporting, setExporting] = useState(false);

  const download = async () => {
    setExporting(true);
    try {
      const response = await fetchApi.fetch(await api.exportUrl(filter));
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = 'failed-messages.csv';
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      onError(error as Error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Button
      variant="outlined"
      startIcon={<GetAppIcon />}
      disabled={exporting}
      onClick={download}
    >
      {exporting ? t('exportCsv.exporting') : t('exportCsv.export')}
    </Button>
  );
}
