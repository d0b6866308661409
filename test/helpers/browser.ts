import { chromium, type Browser, type Page } from 'playwright-core';
import axe from 'axe-core';
import { CHROME_ARGS, findChrome } from '../../src/dev/chrome.ts';

/** Debian's Chromium (or CHROME_PATH), headless, driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChrome(), headless: true, args: CHROME_ARGS });
}

/** Runs axe-core in the page and returns the violations as "rule: target" lines, empty when clean. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document);
    return results.violations.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${JSON.stringify(node.target)}`));
  });
}
