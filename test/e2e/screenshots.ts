import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';

/** The viewport the e2e suite browses in and screenshots at: a laptop screen, small PNGs. */
export const screenshotViewport = { width: 1280, height: 800 } as const;

/**
 * Where to save screenshots of the pages the e2e suite visits: `KUMO_SCREENSHOTS` (a folder, relative
 * to the working directory), or nowhere. `KUMO_SCREENSHOTS=docs/screenshots npx vitest run test/e2e`
 * regenerates the ones in the repository.
 */
export function screenshotDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.KUMO_SCREENSHOTS?.trim();
  return dir ? path.resolve(dir) : undefined;
}

/**
 * Saves what `page` shows (the viewport, not the full page: the size stays fixed and small) as
 * `<dir>/<name>.png` when screenshots are on; otherwise does nothing. It waits up to 10 s for loading
 * states to end, and stops animations, so that shots do not differ from run to run.
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  dir = screenshotDir(),
): Promise<string | undefined> {
  if (dir === undefined) return undefined;
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`screenshot name ${name}: use a-z, 0-9 and -`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  // Not a spinner: wait (a while) for the page's loading states (aria-busy) to finish.
  const busy = page.locator('[aria-busy="true"]');
  for (let waited = 0; waited < 10_000 && (await busy.count()) > 0; waited += 100) {
    await page.waitForTimeout(100);
  }
  // The page at the top, as a visitor first sees it.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  return file;
}
