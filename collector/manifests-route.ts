import type { CollectorRoute } from './collector-route.js';
import { errorResponse, jsonResponse } from './json-response.js';
import { checkManifest, type Manifest } from './manifest-schema.js';
import { loadManifest, saveManifest } from './manifest-store.js';
import { readJsonBody } from './read-json-body.js';
import type { WithStore } from './store-lifecycle.js';

/** What `/v1/manifests/:library` needs from the collector. */
export interface ManifestsRouteOptions {
  /** The path up to the library's name (`/v1/manifests/`). */
  pathPrefix: string;
  /** Larger bodies get `413`, and reading stops there. */
  maxBodyBytes: number;
  /** The clock `updated_at` is read from. */
  now: () => number;
  withStore: WithStore;
}

// A manifest, its `components`, a component, its `props` and a prop's values: five levels.
const MAX_DEPTH = 5;
const MAX_VALUES = 200_000;

/**
 * `PUT /v1/manifests/:library` stores a library's manifest (`201` the first time, `200` when it
 * replaces one) and answers with it as stored; `GET` answers with the stored one or `404`, for
 * a CI step that checks what the collector holds. Put it behind `adminOnly` with `PUT` allowed.
 * A scoped name may come as is (`/v1/manifests/@acme/ui`) or encoded (`%40acme%2Fui`).
 *
 * @param options.pathPrefix - The path up to the library's name.
 * @param options.maxBodyBytes - The largest manifest accepted.
 * @param options.now - When a manifest was stored, as `Last-Modified` says.
 * @param options.withStore - Where manifests are kept.
 */
export function manifestsRoute(options: ManifestsRouteOptions): CollectorRoute {
  const { pathPrefix, maxBodyBytes, now, withStore } = options;
  return async (request) => {
    const library = decodeSegment(new URL(request.url).pathname.slice(pathPrefix.length));
    if (library === undefined) {
      return errorResponse(400, 'invalid_library', 'the library name is not valid URL encoding');
    }
    if (library === '')
      return errorResponse(404, 'not_found', 'name a library: /v1/manifests/:library');
    if (request.method !== 'PUT') {
      return withStore(async (store) => {
        const stored = await loadManifest(store.database, library);
        if (!stored) {
          return errorResponse(404, 'no_manifest', `no manifest is stored for ${library}`);
        }
        return jsonResponse(200, stored.manifest, lastModified(stored.updated_at));
      }, {});
    }
    const read = await readManifest(request, maxBodyBytes);
    if (!read.ok) return errorResponse(read.status, read.error, read.reason);
    if (read.manifest.library !== library) {
      return errorResponse(
        400,
        'library_mismatch',
        `the path names ${JSON.stringify(library)} but the manifest's library is ${JSON.stringify(read.manifest.library)}`,
      );
    }
    return withStore(async (store) => {
      const saved = await saveManifest(store.database, read.manifest, new Date(now()));
      return jsonResponse(
        saved.created ? 201 : 200,
        saved.manifest,
        lastModified(saved.updated_at),
      );
    }, {});
  };
}

type ManifestRead =
  | { ok: true; manifest: Manifest }
  | { ok: false; status: 400 | 413; error: string; reason: string };

/** Body → validated manifest: the bounded JSON body, then the schema. */
async function readManifest(request: Request, maxBodyBytes: number): Promise<ManifestRead> {
  const body = await readJsonBody(request, {
    maxBytes: maxBodyBytes,
    maxDepth: MAX_DEPTH,
    maxValues: MAX_VALUES,
    subject: 'the manifest',
  });
  if (!body.ok) return body;
  const checked = checkManifest(body.value);
  if (!checked.ok) return refuse(400, 'invalid_manifest', checked.reason);
  return checked;
}

function refuse(status: 400 | 413, error: string, reason: string): ManifestRead {
  return { ok: false, status, error, reason };
}

function lastModified(updatedAt: string): Record<string, string> {
  return { 'last-modified': new Date(updatedAt).toUTCString() };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
