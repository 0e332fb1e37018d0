import { Knex } from 'knex';
import { SendSlotReservation, SendSlotRequest } from '../../types';
import { isPostgres, SEND_SLOTS } from '../../tables';

/**
 * See SendSlotStore.reserveSendSlots. One statement that moves the number's
 * next start on by the block: concurrent reservations of the same number
 * queue on its row, so their blocks never overlap. PostgreSQL's clock is
 * the one every replica shares; SQLite (one process) uses the process's.
 */
export async function reserveSendSlots(
  db: Knex,
  { key, count, spacingMs, burstMs }: SendSlotRequest,
): Promise<SendSlotReservation> {
  const span = count * spacingMs;
  const postgres = isPostgres(db);
  const now = postgres ? '(select ms from now)' : '?';
  const nowBindings = postgres ? [] : [Date.now()];
  const result = await db.raw(
    `${
      postgres
        ? 'with now as (select extract(epoch from clock_timestamp()) * 1000 as ms) '
        : ''
    }insert into ${SEND_SLOTS} (phone_number_id, next_at_ms)
     values (?, ${now} + ?)
     on conflict (phone_number_id) do update
       set next_at_ms = ${
         postgres ? 'greatest' : 'max'
       }(${SEND_SLOTS}.next_at_ms, ${now} - ?) + ?
     returning next_at_ms - ? as first_at_ms, ${now} as now_ms`,
    [
      key,
      ...nowBindings,
      span,
      ...nowBindings,
      burstMs,
      span,
      span,
      ...nowBindings,
    ],
  );
  const row = (postgres ? result.rows : result)[0] as {
    first_at_ms: number | string;
    now_ms: number | string;
  };
  return { firstAtMs: Number(row.first_at_ms), nowMs: Number(row.now_ms) };
}
