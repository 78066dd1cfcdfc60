import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Collector } from './collector.js';

/** Options of `createNodeHandler` and `listen`. */
export interface NodeHandlerOptions {
  /**
   * Take the client address from the first `X-Forwarded-For` entry (only behind a proxy you
   * run: anyone can send that header). Default false: the socket's address.
   */
  trustProxy?: boolean;
}

/** Options of `listen`. */
export interface ListenOptions extends NodeHandlerOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default `127.0.0.1`: reachable from this machine only. */
  host?: string;
}

/** A running server. */
export interface RunningServer {
  /** The bound URL, e.g. `http://127.0.0.1:4318`. */
  url: string;
  server: Server;
  /** Stops accepting, ends open connections and resolves when the server is closed. */
  close(): Promise<void>;
}

/** Adapts the collector to `http.createServer` (or Express / Connect as a final handler). */
export function createNodeHandler(
  collector: Collector,
  options: NodeHandlerOptions = {},
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    answer(collector, options, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"error":"internal_error","reason":"the response could not be written"}');
    });
  };
}

/** Starts an HTTP server for the collector; resolves once it is listening. */
export function listen(collector: Collector, options: ListenOptions = {}): Promise<RunningServer> {
  // Batches are small: a client that takes half a minute to send one is holding a socket open
  // on purpose (slowloris), not uploading.
  const server = createServer(
    { requestTimeout: 30_000, headersTimeout: 10_000 },
    createNodeHandler(collector, options),
  );
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${urlHost}:${address.port}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function answer(
  collector: Collector,
  options: NodeHandlerOptions,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  let request: Request;
  try {
    request = toFetchRequest(incoming);
  } catch {
    outgoing.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
    outgoing.end('{"error":"bad_request","reason":"the request line or Host header is invalid"}');
    return;
  }
  const response = await collector.handle(request, {
    clientAddress: clientAddress(incoming, options),
  });
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  // A body left unread (413, 429, 403) must not be parsed as the next request on this
  // connection: close it once the answer is out.
  if (!incoming.readableEnded && incoming.method !== 'GET' && incoming.method !== 'HEAD') {
    headers.connection = 'close';
  }
  outgoing.writeHead(response.status, headers);
  if (incoming.method === 'HEAD' || response.body === null) {
    outgoing.end();
    await response.body?.cancel().catch(() => {});
    return;
  }
  await writeBody(response.body, outgoing);
}

/**
 * Copies a response body to the socket as it is produced (an export is larger than memory),
 * waiting for `drain` whenever the socket's buffer is full, so a slow client slows the reading
 * instead of the body piling up here. A client that goes away cancels the body, which stops
 * its source (the export's database pages); a body that fails midway cuts the response short,
 * so the client sees a truncated transfer rather than a file that looks whole.
 */
async function writeBody(body: ReadableStream<Uint8Array>, outgoing: ServerResponse) {
  const reader = body.getReader();
  const closed = new Promise<void>((resolve) => outgoing.once('close', resolve));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (outgoing.destroyed) throw new Error('the client went away');
      if (!outgoing.write(value)) {
        await Promise.race([once(outgoing, 'drain'), closed]);
      }
    }
    outgoing.end();
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    outgoing.destroy();
  }
}

function toFetchRequest(incoming: IncomingMessage): Request {
  const url = new URL(incoming.url ?? '/', `http://${incoming.headers.host ?? 'localhost'}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: bodyStream(incoming), duplex: 'half' } : {}),
  } as RequestInit);
}

/**
 * The request body as a web stream with backpressure. Cancelling (the size limit was hit)
 * discards the rest instead of destroying the socket, so the 413 can still be sent.
 */
function bodyStream(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  const onData = (chunk: Buffer, controller: ReadableStreamDefaultController<Uint8Array>) => {
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
  };
  let listener: ((chunk: Buffer) => void) | undefined;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        listener = (chunk) => onData(chunk, controller);
        incoming.on('data', listener);
        incoming.once('end', () => controller.close());
        incoming.once('error', (error) => controller.error(error));
      },
      pull() {
        incoming.resume();
      },
      cancel() {
        if (listener) incoming.off('data', listener);
        incoming.resume();
      },
    },
    { highWaterMark: 65_536, size: (chunk) => chunk.byteLength },
  );
}

function clientAddress(incoming: IncomingMessage, options: NodeHandlerOptions): string | undefined {
  if (options.trustProxy) {
    const forwarded = incoming.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return incoming.socket.remoteAddress;
}
