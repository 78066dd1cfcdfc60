/** The body as text, or why it could not be read. */
export type BodyRead =
  | { ok: true; text: string }
  | { ok: false; status: 400 | 413; error: string; reason: string };

/** The body as bytes, or why it could not be read. */
export type BodyBytesRead =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; status: 400 | 413; error: string; reason: string };

/**
 * Reads at most `maxBytes` of the body and stops reading past it, so an oversize upload costs
 * the server `maxBytes`, not the upload's size.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<BodyBytesRead> {
  const tooLarge = {
    ok: false,
    status: 413,
    error: 'payload_too_large',
    reason: `the body exceeds ${maxBytes} bytes`,
  } as const;
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) return tooLarge;
  if (request.body === null) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return tooLarge;
      }
      chunks.push(value);
    }
  } catch {
    return {
      ok: false,
      status: 400,
      error: 'unreadable_body',
      reason: 'the body could not be read',
    };
  }
  if (chunks.length === 1 && chunks[0]) return { ok: true, bytes: chunks[0] };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** The body as UTF-8 text, read within `maxBytes` like `readBodyBytes`. */
export async function readBodyText(request: Request, maxBytes: number): Promise<BodyRead> {
  const body = await readBodyBytes(request, maxBytes);
  if (!body.ok) return body;
  return decodeUtf8(body.bytes);
}

/** Bytes as UTF-8 text; invalid sequences are a `400`, not replacement characters. */
export function decodeUtf8(bytes: Uint8Array): BodyRead {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, status: 400, error: 'invalid_encoding', reason: 'the body is not UTF-8' };
  }
}
