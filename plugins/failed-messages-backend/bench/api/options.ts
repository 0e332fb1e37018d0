/* The API bench's command-line options (see api.ts). */
import { option } from '../benchSupport';

/** Table sizes to measure, ascending. */
export const SIZES = option('rows', '10000,1000000')
  .split(',')
  .map(s => Number(s.trim()))
  .filter(n => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b);
export const ITERATIONS = Number(option('iterations', '100'));
export const BUDGET_MS = Number(option('budget', '30')) * 1000;
export const EXPORT_TIMEOUT_MS = Number(option('export-timeout', '180')) * 1000;
