// What the browser tests share: Debian's Chromium through playwright-core, the dashboard built as
// `npm run build` builds it, and a screenshot that first checks what every page must meet.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { expect } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ROOT = resolve(import.meta.dirname, '../..');
export const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');

/** Whether the browser tests can run here; CI must run them. */
export function chromiumFound(): boolean {
  const found = existsSync(CHROMIUM);
  if (!found && process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: CI must run the browser tests (set CHROMIUM_PATH)`);
  if (!found) console.warn(`SKIPPED test/web: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH to run the browser tests)`);
  return found;
}

/** The page as `npm run build` makes it, into a directory of the test's own. */
export async function buildWeb(): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const webDir = mkdtempSync(join(tmpdir(), 'clario-web-'));
  // A production build (vitest sets NODE_ENV=test, which Vite honours).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: webDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return webDir;
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Errors the page raised or logged (a refused script, a React warning); answered 4xx do not count. */
  readonly pageErrors: string[];
  close(): Promise<void>;
}

/** Chromium with a profile of its own, one page open, errors collected. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'clario-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  // Playwright's 30 s default is below the test's own guard (testTimeout): on a loaded 2-core
  // machine a page may take longer to render, which must make the test slower, never red.
  context.setDefaultTimeout(100_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // A refused script or style (the CSP) or a React error shows here; an answered 401/404 does not count.
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
  });
  return {
    context,
    page,
    pageErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Screenshots a page after checking the basics every page must meet: a lang, one h1, labels, names, alt texts. */
export async function shot(p: Page, name: string): Promise<void> {
  const problems: string[] = await p.evaluate(() => {
    // The callback runs in the page; the server's types know no DOM, hence `any`.
    const d = (globalThis as any).document;
    const out: string[] = [];
    if (!d.documentElement.lang) out.push('no lang on <html>');
    const h1 = d.querySelectorAll('h1').length;
    if (h1 !== 1) out.push(`${h1} h1 elements`);
    for (const el of d.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      if (!el.labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) out.push(`unlabelled ${el.outerHTML.slice(0, 80)}`);
    }
    for (const el of d.querySelectorAll('button, a[href]')) {
      if (!el.textContent?.trim() && !el.getAttribute('aria-label')) out.push(`nameless ${el.outerHTML.slice(0, 80)}`);
    }
    for (const el of d.querySelectorAll('img:not([alt])')) out.push(`no alt ${el.outerHTML.slice(0, 80)}`);
    return out;
  });
  expect(problems, name).toEqual([]);
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** How far the page scrolls sideways (0 when nothing is off-screen). */
export const overflow = (p: Page): Promise<number> =>
  p.evaluate(() => {
    const d = (globalThis as any).document.documentElement;
    return d.scrollWidth - d.clientWidth;
  });
