import { randomBytes } from 'node:crypto';

/**
 * A dashboard or sign-in page. Each response gets a fresh nonce, which `render` puts on the
 * page's one `<style>` element: the Content-Security-Policy allows that element and nothing else.
 *
 * @param status - The HTTP status.
 * @param render - Builds the page around the nonce it is given.
 */
export function htmlResponse(status: number, render: (styleNonce: string) => string): Response {
  const styleNonce = randomBytes(16).toString('base64');
  return new Response(render(styleNonce), {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      // No script at all; the one inline style element is allowed by its nonce.
      'content-security-policy': `default-src 'none'; style-src 'nonce-${styleNonce}'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    },
  });
}
