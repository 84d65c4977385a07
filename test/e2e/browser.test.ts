import { describe, expect, it } from 'vitest';
import { findBrowser, launchBrowser } from './browser.js';

describe('Function: findBrowser()', () => {
  it('refuses a KUMO_CHROMIUM that is not an executable, naming it', async () => {
    await expect(findBrowser({ KUMO_CHROMIUM: '/nonexistent/chromium' })).rejects.toThrow(
      /KUMO_CHROMIUM=\/nonexistent\/chromium is not an executable/,
    );
  });

  it('takes KUMO_CHROMIUM before any system browser', async () => {
    const choice = await findBrowser({ KUMO_CHROMIUM: process.execPath }, ['/usr/bin/env']);
    expect(choice).toMatchObject({ executablePath: process.execPath, source: 'KUMO_CHROMIUM' });
  });

  it('takes the first executable system browser', async () => {
    const choice = await findBrowser({}, ['/nonexistent/chrome', process.execPath]);
    expect(choice).toMatchObject({ executablePath: process.execPath, source: 'system' });
  });

  it('falls back to the Chromium that @sparticuz/chromium ships, and it renders a page', async () => {
    const choice = await findBrowser({}, []);
    expect(choice.source).toBe('@sparticuz/chromium');
    // Web security stays on: the local cloud's guard tests depend on the browser enforcing CORS.
    expect(choice.args).not.toContain('--disable-web-security');
    const browser = await launchBrowser({ choice });
    try {
      // Pages come and go in one browser, as the e2e checks use it.
      const first = await browser.newPage();
      await first.setContent('<p>first</p>');
      await first.close();
      const page = await browser.newPage();
      await page.setContent('<main><h1>Kumo</h1></main><script>document.title = "rendered"</script>');
      expect(await page.title()).toBe('rendered');
      expect(await page.getByRole('heading').textContent()).toBe('Kumo');
    } finally {
      await browser.close();
    }
  });
});
