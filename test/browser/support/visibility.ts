import type { Page } from 'playwright-core';

/**
 * Makes the page look hidden to its scripts without unloading it, as switching to another tab
 * or app does. Headless Chromium never hides a page that stays loaded: minimising its window
 * (`Browser.setWindowBounds`) and opening a tab in front (`Target.createTarget` +
 * `Target.activateTarget`) both leave `visibilityState` at `visible`, and CDP has no visibility
 * override. So the getter is shadowed on the document and a real, bubbling `visibilitychange`
 * event is dispatched, which is what the browser does (HTML, "update the visibility state").
 */
export async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((next) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => next });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => next === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, state);
}
