/**
 * SHA-256 of a string as lowercase hex, by Web Crypto; `undefined` where `crypto.subtle` is
 * missing (an insecure context: Web Crypto's `subtle` is [SecureContext]) or fails.
 */
export async function sha256Hex(text: string): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  try {
    const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join(
      '',
    );
  } catch {
    return undefined;
  }
}
