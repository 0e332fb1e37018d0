import {
  AgeFilter,
  AttemptOutcome,
  AttemptTrigger,
  Category,
  RetryStatus,
} from '@internal/plugin-failed-messages-common';
import { DateTime } from 'luxon';

/** Category names as the product description spells them. */
export const categoryLabels: Record<Category, string> = {
  retryable: 'Retryable',
  'non-retryable': 'Non-Retryable',
  'business-logic': 'Business Logic',
};

export const retryStatusLabels: Record<RetryStatus, string> = {
  'never-retried': 'Never retried',
  retrying: 'Retrying',
  'retry-failed': 'Retry failed',
  'max-attempts-reached': 'Max attempts reached',
  'retry-succeeded': 'Retry succeeded',
  'outcome-unknown': 'Outcome unknown',
};

export const ageLabels: Record<AgeFilter, string> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  all: 'All time',
};

export const triggerLabels: Record<AttemptTrigger, string> = {
  automatic: 'Automatic',
  manual: 'Manual',
  bulk: 'Bulk retry',
  scaffolder: 'Scaffolder',
  action: 'Action',
};

export const outcomeLabels: Record<AttemptOutcome, string> = {
  'in-progress': 'In progress',
  succeeded: 'Succeeded',
  failed: 'Failed',
  'outcome-unknown': 'Outcome unknown',
};

/** Exact local time, e.g. "27 Nov 2026, 06:00". */
export function formatExactTime(iso: string): string {
  return DateTime.fromISO(iso).toLocaleString(DateTime.DATETIME_MED);
}

/** Relative time, e.g. "3 hours ago" or "in 2 days". */
export function formatRelativeTime(iso: string): string {
  return DateTime.fromISO(iso).toRelative() ?? formatExactTime(iso);
}

/** Day and time without the year, e.g. "Nov 27, 6:00 AM", for times in the coming days. */
export function formatShortTime(iso: string): string {
  return DateTime.fromISO(iso).toLocaleString({
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
}
