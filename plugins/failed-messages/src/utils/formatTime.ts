// The list formats two or three times per row: the formatters are made once,
// in the browser's locale and time zone, instead of per cell.
const exactTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});
const shortTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const relativeTimeFormat = new Intl.RelativeTimeFormat(undefined, {
  numeric: 'always',
});

const SECOND_MS = 1000;
const DAY_MS = 86_400 * SECOND_MS;
/** The largest unit that fits is named, its count rounded towards zero. */
const RELATIVE_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * DAY_MS],
  ['month', 30 * DAY_MS],
  ['day', DAY_MS],
  ['hour', 3600 * SECOND_MS],
  ['minute', 60 * SECOND_MS],
  ['second', SECOND_MS],
];

/** Exact local time, e.g. "Nov 27, 2026, 6:00 AM". */
export function formatExactTime(iso: string): string {
  return exactTimeFormat.format(Date.parse(iso));
}

/** Relative time, e.g. "3 hours ago" or "in 2 days". */
export function formatRelativeTime(iso: string): string {
  const difference = Date.parse(iso) - Date.now();
  const [unit, unitMs] =
    RELATIVE_UNITS.find(([, ms]) => Math.abs(difference) >= ms) ??
    RELATIVE_UNITS[RELATIVE_UNITS.length - 1];
  return relativeTimeFormat.format(Math.trunc(difference / unitMs), unit);
}

/** Day and time without the year, e.g. "Nov 27, 6:00 AM", for times in the coming days. */
export function formatShortTime(iso: string): string {
  return shortTimeFormat.format(Date.parse(iso));
}
