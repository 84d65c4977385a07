/**
 * Validation results for request bodies and query strings: zod issues as one line naming every bad
 * field (`size: must be at most 15728640 bytes (15 MB)`), the message a 400 carries.
 */
import type * as z from 'zod';

/** Outcome of a parse: the data, or one line naming every bad field. */
export type ParseResult<T> = { success: true; data: T } | { success: false; error: string };

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    text += typeof part === 'number' ? `[${part}]` : `${text === '' ? '' : '.'}${String(part)}`;
  }
  return text;
}

/**
 * One line naming every bad field; unknown fields are named as such.
 *
 * @param issues - `error.issues` of a failed `safeParse`
 * @param root - what an issue without a path is about (`body`, `query`)
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], root = 'body'): string {
  const lines: string[] = [];
  for (const issue of issues) {
    const at = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`${at === '' ? key : `${at}.${key}`}: unknown field`);
    } else if (at === '') {
      lines.push(`${root}: ${issue.code === 'invalid_type' ? 'must be a JSON object' : issue.message}`);
    } else {
      lines.push(`${at}: ${issue.message}`);
    }
  }
  return lines.join('; ');
}
