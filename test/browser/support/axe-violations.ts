import axe from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * Axe's violations on the page as "rule: target" lines, which read well in a failure. Every
 * closed `<details>` is opened first so what is inside is checked too. Axe is injected by
 * Playwright (the context must bypass the CSP for it); the page itself runs no script.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.locator('details').evaluateAll((elements) => {
    for (const element of elements) (element as HTMLDetailsElement).open = true;
  });
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return results.violations.flatMap((violation) =>
      violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`),
    );
  });
}
