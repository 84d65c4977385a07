import type { LocationQuery, LocationQueryValue } from 'vue-router';

/** The pool's password policy (template.yaml UserPool), checked before the round trip. */
export const passwordHint = 'At least 10 characters, with upper- and lower-case letters and a number.';

/** What is wrong with a new password, in one sentence; undefined when it meets the policy. */
export function passwordProblem(password: string): string | undefined {
  const missing: string[] = [];
  if (!/[a-z]/.test(password)) missing.push('a lower-case letter');
  if (!/[A-Z]/.test(password)) missing.push('an upper-case letter');
  if (!/[0-9]/.test(password)) missing.push('a number');
  if (password.length < 10) {
    return `Use at least 10 characters (this one has ${password.length}).`;
  }
  if (missing.length > 0) return `Add ${missing.join(', ')}.`;
  return undefined;
}

/** What is wrong with an e-mail address, or undefined; the pool has the last word. */
export function emailProblem(email: string): string | undefined {
  if (email === '') return 'Enter your e-mail address.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return 'Enter an e-mail address such as name@example.com.';
  return undefined;
}

function first(value: LocationQueryValue | LocationQueryValue[] | undefined): string | undefined {
  const one = Array.isArray(value) ? value[0] : value;
  return typeof one === 'string' ? one : undefined;
}

/** A query string value, the first when repeated. */
export function queryString(query: LocationQuery, key: string): string | undefined {
  return first(query[key]);
}

/**
 * Where to go after signing in: the `redirect` query when it is a path inside this app (never another
 * origin: `//evil.example` is refused), else undefined.
 */
export function safeRedirect(query: LocationQuery): string | undefined {
  const value = first(query.redirect);
  const internal = value?.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\');
  return internal ? value : undefined;
}
