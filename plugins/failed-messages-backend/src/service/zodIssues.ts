import { z } from 'zod';

/** The field a zod issue is about: the unknown keys, or the path to the value. */
export function issueField(issue: z.core.$ZodIssue, fallback = 'body'): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.join(', ');
  }
  return issue.path.map(String).join('.') || fallback;
}

/** The query parameter a zod issue is about, without a repeated value's position. */
export function issueParameter(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.join(', ');
  }
  return issue.path.length ? String(issue.path[0]) : 'query';
}
