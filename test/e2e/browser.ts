import { access, constants } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';

/** Where a system Chromium or Chrome usually lives (Debian, Ubuntu, Fedora, macOS). */
const systemBrowsers = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** No background traffic to Google, so a run needs nothing but 127.0.0.1. */
const quietArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update'];

export interface BrowserChoice {
  executablePath: string;
  args: string[];
  source: string;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The browser the tests drive, in this order: `KUMO_CHROMIUM` (or the older `CHROMIUM_PATH`), a system
 * Chromium or Chrome, then the binary that the `@sparticuz/chromium` dev dependency ships (unpacked
 * into the temp folder on first use, about 2 s).
 *
 * @throws Error saying what to install when there is none
 */
export async function findBrowser(
  env: NodeJS.ProcessEnv = process.env,
  candidates: readonly string[] = systemBrowsers,
): Promise<BrowserChoice> {
  const configured = env.KUMO_CHROMIUM ?? env.CHROMIUM_PATH;
  if (configured) {
    if (!(await isExecutable(configured))) {
      throw new Error(
        `KUMO_CHROMIUM=${configured} is not an executable file; point it at Chromium or Chrome`,
      );
    }
    return { executablePath: configured, args: quietArgs, source: 'KUMO_CHROMIUM' };
  }
  for (const candidate of candidates) {
    if (await isExecutable(candidate))
      return { executablePath: candidate, args: quietArgs, source: 'system' };
  }
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    const executablePath = await packaged.executablePath();
    return {
      executablePath,
      // Not the package's own `args`: they turn web security off (CORS, which the guard tests rely on)
      // and run single-process (one closed page ends the browser); its software GL is kept.
      args: [
        ...quietArgs,
        '--no-zygote',
        '--disable-setuid-sandbox',
        '--use-gl=angle',
        '--use-angle=swiftshader',
      ],
      source: '@sparticuz/chromium',
    };
  } catch (error) {
    throw new Error(
      'No browser for the browser tests: run `npm ci` (it installs @sparticuz/chromium, Linux x64/arm64 only), ' +
        'install Chromium (`apt-get install chromium`) or set KUMO_CHROMIUM to a Chromium or Chrome binary',
      { cause: error },
    );
  }
}

/**
 * Launches headless Chromium for browser tests (no sandbox: CI runs as root in a container). `extraArgs`
 * adds switches (the hostile-page test maps a foreign name to 127.0.0.1 with `--host-resolver-rules`);
 * `choice` skips the search.
 */
export async function launchBrowser(
  options: { extraArgs?: readonly string[]; choice?: BrowserChoice } = {},
): Promise<Browser> {
  const choice = options.choice ?? (await findBrowser());
  return chromium.launch({
    executablePath: choice.executablePath,
    args: [...choice.args, ...(options.extraArgs ?? [])],
    headless: true,
  });
}
