import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useEffect, useRef, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { failedMessagesApiRef } from '../../api';
import { failedMessagesTranslationRef } from '../../translation';

/** Typing settles for this long before the known campaigns are asked for. */
const SUGGESTION_DELAY_MS = 250;
/** How many known campaigns the list under the field shows. */
const SUGGESTION_LIMIT = 20;

/**
 * The campaign filter: any text, with the known campaigns containing it
 * suggested as one types. The list is filtered by what is typed once
 * typing pauses (`filterDelayMs`); picking a suggestion applies it at once.
 */
export function CampaignField(props: {
  id: string;
  value: string;
  filterDelayMs: number;
  onChange: (value: string) => void;
}) {
  const { id, value, filterDelayMs, onChange } = props;
  const api = useApi(failedMessagesApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const [text, setText] = useState(value);
  const [open, setOpen] = useState(false);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  // Answers can arrive out of order; only the latest question's counts.
  const latestRequest = useRef(0);

  // Follows outside changes such as Reset or the browser's back button.
  useEffect(() => setText(value), [value]);

  useDebounce(
    () => {
      if (text !== value) onChange(text);
    },
    filterDelayMs,
    [text],
  );

  useDebounce(
    () => {
      if (!open) return;
      const request = ++latestRequest.current;
      api
        .listCampaigns({ q: text || undefined, limit: SUGGESTION_LIMIT })
        .then(
          names => names,
          // Suggestions only help: without them any text still filters.
          () => [],
        )
        .then(names => {
          if (request === latestRequest.current) setSuggestions(names);
        });
    },
    SUGGESTION_DELAY_MS,
    [text, open],
  );

  return (
    <Autocomplete
      freeSolo
      size="small"
      options={suggestions}
      // The backend already matched the text.
      filterOptions={options => options}
      inputValue={text}
      onInputChange={(_event, typed) => setText(typed)}
      onChange={(_event, chosen) => {
        const campaign = typeof chosen === 'string' ? chosen : '';
        setText(campaign);
        if (campaign !== value) onChange(campaign);
      }}
      open={open}
      onOpen={() => setOpen(true)}
      onClose={() => setOpen(false)}
      // The search input's own clear button clears it, as on the other text filters.
      disableClearable
      renderInput={params => (
        <TextField
          {...params}
          id={id}
          fullWidth
          type="search"
          variant="outlined"
          label={t('filterBar.campaign')}
          InputLabelProps={{ ...params.InputLabelProps, shrink: true }}
        />
      )}
    />
  );
}
