import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  AGE_FILTERS,
  AgeFilter,
  CATEGORIES,
  Category,
  ConfiguredBusinessNumber,
  ErrorCodeInfo,
  FailedMessageFilter,
  MESSAGE_STATES,
  MessageState,
  RETRY_STATUSES,
  RetryStatus,
} from '@msgops/plugin-failed-messages-common';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { DateTime } from 'luxon';
import { ChangeEvent, useEffect, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { isInvertedRange } from '../../hooks';
import { failedMessagesTranslationRef } from '../../translation';
import { CampaignField } from './CampaignField';

/** Typing settles for this long before the list is requested again. */
const TEXT_FILTER_DELAY_MS = 400;

/** The age select's value for an explicit from/to range. */
const CUSTOM_RANGE = 'custom';

/** The format of a `datetime-local` input, in the browser's time zone. */
const LOCAL_INPUT_FORMAT = "yyyy-MM-dd'T'HH:mm";

function isoToLocalInput(iso: string | undefined): string {
  return iso ? DateTime.fromISO(iso).toFormat(LOCAL_INPUT_FORMAT) : '';
}

function localInputToIso(localInput: string): string | undefined {
  const time = DateTime.fromISO(localInput);
  return localInput && time.isValid ? time.toUTC().toISO()! : undefined;
}

function MultiSelect<T extends string>(props: {
  id: string;
  label: string;
  options: readonly T[];
  optionLabel: (option: T) => string;
  /** How a chosen option reads in the closed field; defaults to optionLabel. */
  chosenLabel?: (option: T) => string;
  value: T[];
  onChange: (value: T[]) => void;
}) {
  const { id, label, options, optionLabel, value, onChange } = props;
  const chosenLabel = props.chosenLabel ?? optionLabel;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  return (
    <TextField
      id={id}
      select
      fullWidth
      variant="outlined"
      size="small"
      label={label}
      value={value}
      onChange={(event: ChangeEvent<{ value: unknown }>) =>
        onChange(event.target.value as T[])
      }
      SelectProps={{
        multiple: true,
        renderValue: selected =>
          (selected as T[]).length
            ? (selected as T[]).map(chosenLabel).join(', ')
            : t('filterBar.any'),
        displayEmpty: true,
      }}
      InputLabelProps={{ shrink: true }}
    >
      {options.map(option => (
        <MenuItem key={option} value={option}>
          {optionLabel(option)}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** A text filter that reports its value once typing pauses. */
function DebouncedTextField(props: {
  id: string;
  label: string;
  value: string;
  placeholder?: string;
  onChange: (value: string) => void;
}) {
  const { id, label, value, placeholder, onChange } = props;
  const [text, setText] = useState(value);

  // Follows outside changes such as Reset or the browser's back button.
  useEffect(() => setText(value), [value]);

  useDebounce(
    () => {
      if (text !== value) onChange(text);
    },
    TEXT_FILTER_DELAY_MS,
    [text],
  );

  return (
    <TextField
      id={id}
      fullWidth
      variant="outlined"
      size="small"
      type="search"
      label={label}
      placeholder={placeholder}
      value={text}
      onChange={event => setText(event.target.value)}
      InputLabelProps={{ shrink: true }}
    />
  );
}

/** One end of the custom range: a `datetime-local` field in its grid cell. */
function DateTimeField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: boolean;
  helperText?: string;
}) {
  const { onChange, ...fieldProps } = props;
  return (
    <Grid item xs={12} sm={6} md={3}>
      <TextField
        {...fieldProps}
        type="datetime-local"
        fullWidth
        variant="outlined"
        size="small"
        onChange={event => onChange(event.target.value)}
        InputLabelProps={{ shrink: true }}
      />
    </Grid>
  );
}

/**
 * From and To of a custom age range, in local time. A range is applied once
 * typing pauses, and only when From is not later than To.
 */
function DateRangeFields(props: {
  from?: string;
  to?: string;
  onChange: (range: { from?: string; to?: string }) => void;
}) {
  const { from, to, onChange } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const [fromText, setFromText] = useState(isoToLocalInput(from));
  const [toText, setToText] = useState(isoToLocalInput(to));

  // Follows outside changes such as the browser's back button.
  useEffect(() => setFromText(isoToLocalInput(from)), [from]);
  useEffect(() => setToText(isoToLocalInput(to)), [to]);

  const fromIso = localInputToIso(fromText);
  const toIso = localInputToIso(toText);
  const inverted = isInvertedRange(fromIso, toIso);

  useDebounce(
    () => {
      if (inverted) {
        return;
      }
      // An unchanged field keeps its exact time (the inputs show minutes only).
      const nextFrom = fromText === isoToLocalInput(from) ? from : fromIso;
      const nextTo = toText === isoToLocalInput(to) ? to : toIso;
      if (nextFrom !== from || nextTo !== to) {
        onChange({ from: nextFrom, to: nextTo });
      }
    },
    TEXT_FILTER_DELAY_MS,
    [fromText, toText],
  );

  return (
    <>
      <DateTimeField
        id="failed-messages-from"
        label={t('filterBar.from')}
        value={fromText}
        onChange={setFromText}
        error={inverted}
        helperText={inverted ? t('filterBar.invertedRange') : undefined}
      />
      <DateTimeField
        id="failed-messages-to"
        label={t('filterBar.to')}
        value={toText}
        onChange={setToText}
        error={inverted}
      />
    </>
  );
}

/** How many filters narrow the list, for the phones' Filters button. */
export function countActiveFilters(
  filter: FailedMessageFilter,
  customRange: boolean,
): number {
  const age = customRange ? filter.from || filter.to : filter.age;
  const otherStates = filter.state?.length !== 1 || filter.state[0] !== 'open';
  return [
    age,
    otherStates,
    filter.errorCode?.length,
    filter.category?.length,
    filter.retryStatus?.length,
    filter.phoneNumberId?.length,
    filter.campaign,
    filter.q,
  ].filter(Boolean).length;
}

export interface FilterBarProps {
  filter: FailedMessageFilter;
  /** The age filter is an explicit from/to range. */
  customRange: boolean;
  errorCodes: ErrorCodeInfo[];
  /** The configured numbers; the number filter shows when there are several. */
  businessNumbers?: ConfiguredBusinessNumber[];
  onChange: (filter: FailedMessageFilter, customRange: boolean) => void;
  onReset: () => void;
}

/** Narrows the message list by age, state, error type, category, retry status, business number, campaign and text. */
export function FilterBar(props: FilterBarProps) {
  const { filter, customRange, errorCodes, onChange, onReset } = props;
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const errorTitles = new Map(errorCodes.map(code => [code.code, code.title]));
  const businessNumbers = props.businessNumbers ?? [];
  const numberLabels = new Map(
    businessNumbers.map(number => [number.phoneNumberId, number.label]),
  );
  const change = (partial: FailedMessageFilter) =>
    onChange({ ...filter, ...partial }, customRange);
  const changeAge = (value: string) => {
    if (value === CUSTOM_RANGE) {
      onChange({ ...filter, age: undefined }, true);
    } else {
      onChange(
        {
          ...filter,
          age: value === 'all' ? undefined : (value as AgeFilter),
          from: undefined,
          to: undefined,
        },
        false,
      );
    }
  };

  // One row on wide screens; below that, two, so that the campaign and
  // search fields stay wide enough to read what is typed.
  return (
    <Grid
      container
      spacing={2}
      component="section"
      aria-label={t('filterBar.title')}
    >
      <Grid item xs={12} sm={6} md={3} xl={2}>
        <TextField
          id="failed-messages-age"
          select
          fullWidth
          variant="outlined"
          size="small"
          label={t('filterBar.age')}
          value={customRange ? CUSTOM_RANGE : filter.age ?? 'all'}
          onChange={event => changeAge(event.target.value)}
        >
          {AGE_FILTERS.map(age => (
            <MenuItem key={age} value={age}>
              {t(`age.${age}`)}
            </MenuItem>
          ))}
          <MenuItem value={CUSTOM_RANGE}>{t('filterBar.customRange')}</MenuItem>
        </TextField>
      </Grid>
      {customRange && (
        <DateRangeFields
          from={filter.from}
          to={filter.to}
          onChange={range => change(range)}
        />
      )}
      <Grid item xs={12} sm={6} md={3} xl={2}>
        <MultiSelect<MessageState>
          id="failed-messages-state"
          label={t('filterBar.state')}
          options={MESSAGE_STATES}
          optionLabel={state => t(`state.${state}`)}
          value={filter.state ?? []}
          onChange={state => change({ state })}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={3} xl={2}>
        <MultiSelect
          id="failed-messages-error-type"
          label={t('filterBar.errorType')}
          options={errorCodes.map(code => code.code)}
          optionLabel={code =>
            t('filterBar.errorTypeOption', {
              code,
              title: String(errorTitles.get(code)),
            })
          }
          chosenLabel={code => code}
          value={filter.errorCode ?? []}
          onChange={errorCode => change({ errorCode })}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={3} xl={2}>
        <MultiSelect<Category>
          id="failed-messages-category"
          label={t('filterBar.category')}
          options={CATEGORIES}
          optionLabel={category => t(`category.${category}`)}
          value={filter.category ?? []}
          onChange={category => change({ category })}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={3} xl={2}>
        <MultiSelect<RetryStatus>
          id="failed-messages-retry-status"
          label={t('filterBar.retryStatus')}
          options={RETRY_STATUSES}
          optionLabel={status => t(`retryStatus.${status}`)}
          value={filter.retryStatus ?? []}
          onChange={retryStatus => change({ retryStatus })}
        />
      </Grid>
      {businessNumbers.length > 1 && (
        <Grid item xs={12} sm={6} md={3} xl={2}>
          <MultiSelect
            id="failed-messages-business-number"
            label={t('filterBar.businessNumber')}
            options={businessNumbers.map(number => number.phoneNumberId)}
            optionLabel={id => numberLabels.get(id) ?? id}
            value={filter.phoneNumberId ?? []}
            onChange={phoneNumberId => change({ phoneNumberId })}
          />
        </Grid>
      )}
      <Grid item xs={12} sm={6} md={4} xl={1}>
        <CampaignField
          id="failed-messages-campaign"
          value={filter.campaign ?? ''}
          filterDelayMs={TEXT_FILTER_DELAY_MS}
          onChange={campaign => change({ campaign: campaign || undefined })}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={3} xl={2}>
        <DebouncedTextField
          id="failed-messages-search"
          label={t('filterBar.search')}
          placeholder={t('filterBar.searchPlaceholder')}
          value={filter.q ?? ''}
          onChange={q => change({ q: q || undefined })}
        />
      </Grid>
      <Grid item xs={12} md={2} xl={1}>
        <Button variant="outlined" onClick={onReset} fullWidth>
          {t('filterBar.reset')}
        </Button>
      </Grid>
    </Grid>
  );
}
