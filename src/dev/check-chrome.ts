import { findChrome } from './chrome.ts';

/** First step of `npm test`: say in one line how to get a browser, before anything slow runs. */
try {
  findChrome();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
