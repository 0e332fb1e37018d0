/*
 * What the benchmark scripts share: command-line options, progress and
 * figures output, garbage collection before memory readings, a fresh bench
 * database and the facts about the machine that every result carries.
 */
import os from 'node:os';
import knexFactory, { Knex } from 'knex';
import { applyDatabaseMigrations } from '../src/database/migrations';

/** `--name=value` from the command line, or the fallback. */
export function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const arg = process.argv.find(a => a.startsWith(prefix));
  return arg ? arg.slice(prefix.length) : fallback;
}

/** Progress goes to stderr; stdout carries only the figures. */
export function log(line: string) {
  process.stderr.write(`${line}\n`);
}

/** One line of the figures, on stdout. */
export function out(line = '') {
  process.stdout.write(`${line}\n`);
}

export const pad = (s: string | number, n: number) => String(s).padStart(n);

export const round = (x: number, digits: number) => Number(x.toFixed(digits));

export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

export const MB = 1024 * 1024;

/** The columns a bench fills with `INSERT INTO failed_messages (...) SELECT`. */
export const FAILED_MESSAGE_COLUMNS = `
  id, channel, external_id, recipient, campaign, template_name, payload,
  error_code, error_title, error_message, error_details, category,
  retry_status, automatic_attempts, manual_attempts,
  next_automatic_retry_at, failed_at, last_attempt_at, resolved_at,
  created_at, updated_at`;

/** Collects garbage twice (needs --expose-gc) so RSS readings are steady. */
export function gc() {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

/** Whether --expose-gc was given, so memory figures followed a full GC. */
export function gcExposed(): boolean {
  return typeof (globalThis as { gc?: unknown }).gc === 'function';
}

const SERVER_URL =
  process.env.FAILED_MESSAGES_BENCH_PG ??
  'postgresql://postgres@127.0.0.1:5432';

function connectionTo(database: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Drops and creates `database`, connects to it and runs the migrations. */
export async function freshBenchDatabase(
  database: string,
  poolMax: number,
): Promise<Knex> {
  const admin = knexFactory({
    client: 'pg',
    connection: connectionTo('postgres'),
  });
  await admin.raw(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.raw(`CREATE DATABASE ${database}`);
  await admin.destroy();
  const knex = connectBenchDatabase(database, poolMax);
  await applyDatabaseMigrations(knex);
  return knex;
}

/** Connects to an existing bench database, as another process of a bench. */
export function connectBenchDatabase(database: string, poolMax: number): Knex {
  return knexFactory({
    client: 'pg',
    connection: connectionTo(database),
    pool: { min: 2, max: poolMax },
  });
}

/** The machine a result was taken on, for the JSON line. */
export async function machineFacts(knex: Knex) {
  const postgres = (await knex.raw('SHOW server_version')).rows[0]
    .server_version as string;
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    postgres,
  };
}

/** Runs a bench's main and exits non-zero with the stack if it fails. */
export function runBench(main: () => Promise<void>) {
  main().catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
