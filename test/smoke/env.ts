/**
 * Where the smoke tests find the deployed stack: environment variables that
 * pipeline/buildspec-smoke.yml sets from the stack's outputs (or that you set by hand, for the local
 * cloud too: `KUMO_API_URL=http://127.0.0.1:4501 npm run test:smoke`).
 */

/** The value of `name`; a missing one fails the test with what to set. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: run through pipeline/buildspec-smoke.yml or set it (see README.md)`);
  }
  return value;
}

/** The API base URL without a trailing slash (the stack's `ApiUrl` output). */
export function apiUrl(): string {
  return requireEnv('KUMO_API_URL').replace(/\/+$/, '');
}

/** Polls `probe` until it returns a value or `timeoutMs` passes; then throws with the last reason. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs, intervalMs = 2_000, what }: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The web app's URL without a trailing slash (the stack's `SiteUrl` output). */
export function siteUrl(): string {
  return requireEnv('KUMO_SITE_URL').replace(/\/+$/, '');
}
