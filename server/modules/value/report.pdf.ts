// Prints an HTML page to PDF with the machine's real Chromium (playwright-core driving
// /usr/bin/chromium). The page runs without JavaScript and without network access.
import fs from 'node:fs';

/** Where Chromium is; KW_CHROMIUM_PATH overrides it (read on every call). */
export const chromiumPath = () => process.env.KW_CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Chromium (or its driver) is not on this machine: the route answers 503 with this. */
export class PdfUnavailable extends Error {}

let running = 0;
const waiting: (() => void)[] = [];
const MAX_PARALLEL = 2;

async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export async function htmlToPdf(html: string): Promise<Buffer> {
  const executablePath = chromiumPath();
  if (!fs.existsSync(executablePath)) throw new PdfUnavailable(`Chromium not found at ${executablePath}`);
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new PdfUnavailable('playwright-core is not installed');
  }
  return slot(async () => {
    const browser = await chromium.launch({ executablePath, args: FLAGS, timeout: 30_000 }).catch((err: unknown) => {
      throw new PdfUnavailable(`Chromium did not start: ${(err as Error).message.split('\n')[0]}`);
    });
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      const page = await context.newPage();
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load', timeout: 30_000 });
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      return Buffer.from(pdf);
    } finally {
      await browser.close();
    }
  });
}
