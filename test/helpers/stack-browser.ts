import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from '../../src/dev/stack.ts';
import { launchChromium } from './browser.ts';

/** The whole local stack and one Chromium page to drive it, for the end-to-end tests. */
export interface StackInBrowser {
  stack: Stack;
  /** The page's context: popups (the sign-in window) open in it. */
  context: BrowserContext;
  page: Page;
  /** Closes the browser, then stops the stack. */
  close(): Promise<void>;
}

/**
 * Starts the stack (sandbox, companion, demo page; warnings only in the log) and opens a blank page in
 * a fresh Chromium. If the browser part fails, what already started is closed before the error goes on.
 */
export async function openStackInBrowser(): Promise<StackInBrowser> {
  const stack = await startStack({ logLevel: 'warn' });
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await stack.stop();
  };
  try {
    browser = await launchChromium();
    const context = await browser.newContext();
    const page = await context.newPage();
    return { stack, context, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
