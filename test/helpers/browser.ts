import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import axe from 'axe-core';
import { CHROME_ARGS, findChrome } from '../../src/dev/chrome.ts';

/** Debian's Chromium (or CHROME_PATH), headless, driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChrome(), headless: true, args: CHROME_ARGS });
}

/** Runs axe-core in the page and returns the violations as "rule: target" lines, empty when clean. */
export async function axeViolations(page: Page, { fragment = false }: { fragment?: boolean } = {}): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  // A fragment (a Storybook story) is part of some page: the rules about a whole page's landmarks and heading do not apply.
  const rules: axe.RuleObject = fragment ? { 'landmark-one-main': { enabled: false }, 'page-has-heading-one': { enabled: false }, region: { enabled: false } } : {};
  return page.evaluate(async (rules) => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, { rules });
    return results.violations.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${JSON.stringify(node.target)}`));
  }, rules);
}

/**
 * Clicks what makes `page` close itself, and waits for the close. The wait starts before the click: the
 * page may close at once, sometimes before a wait set up after the click would see it; and the click
 * itself can fail when the page closes under it, which is then the close we wait for.
 */
export async function clickToClose(page: Page, target: Locator): Promise<void> {
  const closed = page.isClosed() ? Promise.resolve() : page.waitForEvent('close', { timeout: 30000 });
  await target.click({ noWaitAfter: true }).catch((error: unknown) => {
    if (!page.isClosed()) throw error;
  });
  await closed;
}

/** Signs in on the companion's own password form in the popup (WebDAV, CMIS) and waits for the popup to close itself. */
export async function signInWithPasswordForm(popup: Page, user: string, password: string): Promise<void> {
  await popup.getByLabel('User name').fill(user);
  await popup.getByLabel('Password').fill(password);
  await clickToClose(popup, popup.getByRole('button', { name: 'Sign in' }));
}

/** Signs in on the sandbox's sign-in page in the popup and waits for the popup to close itself. */
export async function signInInPopup(popup: Page, user: string, password = user): Promise<void> {
  await popup.getByLabel('Username or email').fill(user);
  await popup.getByLabel('Password').fill(password);
  await clickToClose(popup, popup.getByRole('button', { name: 'Sign in' }));
}
