import { request as httpRequest, type IncomingMessage } from 'node:http';
import { type Collector, listen, type RunningServer } from 'telemetry-kit-collector';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The Node adapter copies a response body to the socket as it is produced and no faster than
 * the client reads it: what lets `GET /v1/export` stream more than memory holds. The handler
 * here answers every request with a body it generates on demand (64 KiB per pull, 32 MiB in
 * all) and records what it was asked for.
 */
const CHUNK = 65_536;
const TOTAL = 32 * 1_048_576;

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What happened to one generated body. */
interface Generated {
  produced: number;
  cancelled: boolean;
}

/** A server whose every answer is a generated body; `bodies` says how each went, in order. */
async function generatingServer() {
  const bodies: Generated[] = [];
  const chunk = new Uint8Array(CHUNK).fill(120);
  const handle = async () => {
    const body: Generated = { produced: 0, cancelled: false };
    bodies.push(body);
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (body.produced >= TOTAL) return controller.close();
          body.produced += CHUNK;
          controller.enqueue(chunk);
        },
        cancel() {
          body.cancelled = true;
        },
      }),
      { headers: { 'content-type': 'application/octet-stream' } },
    );
  };
  // Only `handle` is what the adapter calls; the rest of a collector is not involved here.
  const collector = { handle } as unknown as Collector;
  server = await listen(collector, { port: 0, host: '127.0.0.1' });
  return { url: server.url, bodies };
}

function get(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, resolve);
    request.on('error', reject);
    request.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the Node http adapter streams response bodies', () => {
  it('produces the body only as fast as a slow client reads it, then delivers all of it', async () => {
    const { url, bodies } = await generatingServer();
    const response = await get(url);
    response.pause();
    await sleep(500);
    const [body] = bodies as [Generated];
    // Socket buffers on both sides hold a few MiB at most; without waiting for `drain` the
    // whole 32 MiB would be generated in this half second.
    const whilePaused = body.produced;
    expect(whilePaused).toBeLessThan(TOTAL / 4);
    await sleep(200);
    expect(body.produced).toBe(whilePaused);

    let received = 0;
    response.on('data', (data: Buffer) => {
      received += data.byteLength;
    });
    response.resume();
    await new Promise((resolve) => response.once('end', resolve));
    expect(received).toBe(TOTAL);
  });

  it('cancels the body when the client goes away, and keeps serving', async () => {
    const { url, bodies } = await generatingServer();
    const response = await get(url);
    response.pause();
    await sleep(100);
    response.destroy();
    const [body] = bodies as [Generated];
    await expect.poll(() => body.cancelled, { timeout: 5_000 }).toBe(true);
    expect(body.produced).toBeLessThan(TOTAL / 4);

    const again = await get(url);
    let received = 0;
    again.on('data', (data: Buffer) => {
      received += data.byteLength;
    });
    await new Promise((resolve) => again.once('end', resolve));
    expect(received).toBe(TOTAL);
    expect(bodies[1]?.cancelled).toBe(false);
  });

  it('cuts the response short when the body fails midway, so it cannot pass for a whole file', async () => {
    let pulls = 0;
    const failing = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulls += 1;
            if (pulls > 3) controller.error(new Error('the database went away'));
            else controller.enqueue(new Uint8Array(CHUNK));
          },
        }),
      );
    server = await listen({ handle: failing } as unknown as Collector, {
      port: 0,
      host: '127.0.0.1',
    });
    const response = await get(server.url);
    let received = 0;
    response.on('data', (data: Buffer) => {
      received += data.byteLength;
    });
    const outcome = await new Promise<string>((resolve) => {
      response.once('end', () => resolve('end'));
      response.once('error', () => resolve('error'));
      response.once('aborted', () => resolve('aborted'));
    });
    expect(outcome).not.toBe('end');
    expect(received).toBeLessThanOrEqual(3 * CHUNK);
  });

  it('answers HEAD with the headers alone and cancels the body unread', async () => {
    const { url, bodies } = await generatingServer();
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = httpRequest(url, { method: 'HEAD' }, resolve);
      request.on('error', reject);
      request.end();
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    let received = 0;
    response.on('data', (data: Buffer) => {
      received += data.byteLength;
    });
    await new Promise((resolve) => response.once('end', resolve));
    expect(received).toBe(0);
    const [body] = bodies as [Generated];
    await expect.poll(() => body.cancelled).toBe(true);
    // A stream fills its queue once when it is made: one chunk, never more.
    expect(body.produced).toBeLessThanOrEqual(CHUNK);
  });
});
