import { Knex } from 'knex';
import { AccountPause } from '../../types';
import { ACCOUNT_PAUSES } from '../../tables';
import { DbTime, toIso } from '../../rows';

interface AccountPauseRow {
  account: string;
  reason: string;
  code: string;
  since: DbTime;
}

/**
 * See AccountPauseStore.pauseAccount: the first pause of an account stands,
 * so "since" says when its trouble began, however many sends report it.
 */
export async function pauseAccount(
  db: Knex,
  pause: { account: string; reason: string; code: string; since: Date },
): Promise<void> {
  await db(ACCOUNT_PAUSES).insert(pause).onConflict('account').ignore();
}

/** See AccountPauseStore.listAccountPauses. */
export async function listAccountPauses(db: Knex): Promise<AccountPause[]> {
  const rows: AccountPauseRow[] = await db(ACCOUNT_PAUSES)
    .select('account', 'reason', 'code', 'since')
    .orderBy('since')
    .orderBy('account');
  return rows.map(row => ({ ...row, since: toIso(row.since) }));
}

/** See AccountPauseStore.resumeAccounts. */
export async function resumeAccounts(
  db: Knex,
  accounts: string[] | 'all',
): Promise<string[]> {
  return db.transaction(async tx => {
    const paused = tx(ACCOUNT_PAUSES).select('account').forUpdate();
    if (accounts !== 'all') {
      paused.whereIn('account', accounts);
    }
    const rows: { account: string }[] = await paused;
    const resumed = rows.map(row => row.account).sort();
    await tx(ACCOUNT_PAUSES).whereIn('account', resumed).delete();
    return resumed;
  });
}
