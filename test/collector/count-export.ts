/** What a counting sink saw of one `GET /v1/export`. */
export interface ExportCount {
  status: number;
  /** Line feeds received: NDJSON's rows, CSV's rows and header (no seeded cell holds one). */
  lines: number;
  bytes: number;
  ms: number;
}

/**
 * Downloads `url` and keeps nothing of it but counts, so the client's memory stays out of the
 * measurement. With `pauseMs`, it stops reading for that long after the first chunk, as a slow
 * client would: the server must then wait (back-pressure), not buffer the rest.
 */
export async function countExport(url: string, token: string, pauseMs = 0): Promise<ExportCount> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  let lines = 0;
  let bytes = 0;
  if (response.body) {
    const reader = response.body.getReader();
    let paused = pauseMs === 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (let index = value.indexOf(10); index !== -1; index = value.indexOf(10, index + 1))
        lines += 1;
      if (!paused) {
        paused = true;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }
  }
  return { status: response.status, lines, bytes, ms: performance.now() - started };
}
