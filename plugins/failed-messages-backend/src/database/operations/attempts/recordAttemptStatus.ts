import { Knex } from 'knex';
import { adjustCounts, moveCount } from '../../messageCounts';
import {
  AttemptRow,
  COUNT_KEY_COLUMNS,
  countKeyOfRow,
  DbTime,
  MessageRow,
  STATUS_TIME_COLUMNS,
} from '../../rows';
import { ATTEMPTS, MESSAGES } from '../../tables';
import { AttemptStatusOutcome, AttemptStatusReport } from '../../types';

type StatusRow = AttemptRow & { last_status: string | null };

/** Meta's statuses of one message id in the order they happen. */
const POSITIVE_ORDER = ['sent', 'delivered', 'read'];

/**
 * Where a message is while the outcome of its latest attempt is open: an
 * unknown outcome, or a claim (its lease decides whether it is still open).
 */
const OPEN_STATUSES = ['outcome-unknown', 'retrying'];

/** See FailedMessageIngestionStore.recordAttemptStatus. */
export async function recordAttemptStatus(
  db: Knex,
  report: AttemptStatusReport,
): Promise<AttemptStatusOutcome> {
  return db.transaction(async tx => {
    const known: Pick<AttemptRow, 'message_id'> | undefined = await tx(ATTEMPTS)
      .where('provider_message_id', report.providerMessageId)
      .first('message_id');
    const messageId = known?.message_id ?? report.messageId;
    if (!messageId) {
      return { kind: 'nothing' };
    }
    // The message first, as claims and finishes lock it.
    const message:
      | (MessageRow & { lease_expires_at: DbTime | null })
      | undefined = await tx(MESSAGES)
      .select([...COUNT_KEY_COLUMNS, 'lease_expires_at'])
      .where('id', messageId)
      .forUpdate()
      .first();
    if (!message) {
      return { kind: 'nothing' };
    }
    const attempt = known
      ? await tx<StatusRow>(ATTEMPTS)
          .where('provider_message_id', report.providerMessageId)
          .first()
      : await unsettledAttempt(tx, messageId);
    if (!attempt) {
      return { kind: 'nothing' };
    }
    if (
      attempt.outcome === 'in-progress' &&
      message.lease_expires_at !== null &&
      new Date(message.lease_expires_at) > report.now
    ) {
      return { kind: 'being-recorded' };
    }
    // A failure is final for its id: nothing Meta reports after it undoes it,
    // though a status that arrives late still takes its place in the history.
    if (
      attempt.outcome === 'failed' ||
      (report.status !== 'failed' && attempt.last_status === 'failed')
    ) {
      const time = firstTime(attempt, report);
      if (time) {
        await tx(ATTEMPTS).where('id', attempt.id).update(time);
      }
      return { kind: 'nothing' };
    }
    const settles = attempt.provider_message_id === null;
    // A settled attempt's message moved on to a later attempt: only the
    // attempt learns how it ended.
    const messageOpen = settles && OPEN_STATUSES.includes(message.retry_status);
    const failedForGood = report.status === 'failed' && settles && !messageOpen;
    if (messageOpen) {
      // As an accepted send leaves it, so that a failure applies as usual.
      await tx(MESSAGES).where('id', messageId).update({
        retry_status: 'retry-succeeded',
        lease_expires_at: null,
        next_automatic_retry_at: null,
        updated_at: report.now,
      });
      const before = countKeyOfRow(message);
      await adjustCounts(
        tx,
        moveCount(before, { ...before, retryStatus: 'retry-succeeded' }),
      );
    }
    // After the message counts, as in a finish: the attempt counts' trigger
    // locks its rows last (migrations/20261203120000_attempt_counts.js).
    await tx(ATTEMPTS)
      .where('id', attempt.id)
      .update({
        provider_message_id: report.providerMessageId,
        ...firstTime(attempt, report),
        ...(isLater(report.status, attempt.last_status) && {
          last_status: report.status,
          last_status_at: report.at,
        }),
        ...(settles && {
          // Meta gave the send an id: it took the message.
          outcome: failedForGood ? 'failed' : 'succeeded',
          finished_at: attempt.finished_at ?? report.now,
          error_code: failedForGood ? report.error?.code ?? null : null,
          error_title: failedForGood ? report.error?.title ?? null : null,
          error_message: failedForGood ? report.error?.message ?? null : null,
          error_details: failedForGood ? report.error?.details ?? null : null,
        }),
      });
    if (report.status !== 'failed') {
      return { kind: 'resolve', messageId };
    }
    return failedForGood ? { kind: 'nothing' } : { kind: 'fail' };
  });
}

/**
 * The latest attempt of the message whose send has no provider id while its
 * outcome is open (unknown, or claimed): a status echoing the message's id
 * with an id we never got must be the answer it lost.
 */
function unsettledAttempt(
  tx: Knex.Transaction,
  messageId: string,
): Promise<StatusRow | undefined> {
  return tx<StatusRow>(ATTEMPTS)
    .where('message_id', messageId)
    .whereNull('provider_message_id')
    .whereIn('outcome', ['outcome-unknown', 'in-progress'])
    .orderBy('attempt_number', 'desc')
    .first();
}

/**
 * The status's time for the attempt's history, unless it already holds an
 * earlier one: Meta may report a status twice, and out of order.
 */
function firstTime(
  attempt: AttemptRow,
  report: AttemptStatusReport,
): Partial<AttemptRow> | undefined {
  const column = STATUS_TIME_COLUMNS[report.status];
  const known = attempt[column];
  if (known && new Date(known) <= report.at) {
    return undefined;
  }
  return { [column]: report.at };
}

/** Whether `status` comes after `last` for one message id. */
function isLater(status: string, last: string | null): boolean {
  if (last === null || status === 'failed') {
    return last !== 'failed';
  }
  return POSITIVE_ORDER.indexOf(status) > POSITIVE_ORDER.indexOf(last);
}
