import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH points elsewhere when needed. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium for browser tests: no sandbox (CI runs as root in a container) and no
 * background traffic to Google, so a run needs nothing but 127.0.0.1. `extraArgs` adds switches (the
 * hostile-page test maps a foreign name to 127.0.0.1 with `--host-resolver-rules`).
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', ...extraArgs],
  });
}
