import type { Manifest } from './manifest-schema.js';
import type { SqlDatabase } from './sql-database.js';

/** A manifest as stored: what was sent, and when it replaced the one before. */
export interface StoredManifest {
  manifest: Manifest;
  /** ISO timestamp. */
  updated_at: string;
}

/**
 * Stores `manifest` for its library, replacing an earlier one; `created` says whether there was
 * none. The CTE reads the table as it was before the statement, so one round trip tells both.
 */
export async function saveManifest(
  database: Pick<SqlDatabase, 'query'>,
  manifest: Manifest,
  updatedAt: Date,
): Promise<StoredManifest & { created: boolean }> {
  const rows = await database.query<{ created: boolean }>(
    `WITH previous AS (SELECT 1 FROM telemetry_manifests WHERE library = $1)
     INSERT INTO telemetry_manifests (library, version, manifest, updated_at)
     VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (library) DO UPDATE
       SET version = EXCLUDED.version, manifest = EXCLUDED.manifest,
           updated_at = EXCLUDED.updated_at
     RETURNING NOT EXISTS (SELECT 1 FROM previous) AS created`,
    [manifest.library, manifest.version, JSON.stringify(manifest), updatedAt.toISOString()],
  );
  return { manifest, updated_at: updatedAt.toISOString(), created: rows[0]?.created ?? true };
}

/** The stored manifest of `library`, or null when none was stored. */
export async function loadManifest(
  database: Pick<SqlDatabase, 'query'>,
  library: string,
): Promise<StoredManifest | null> {
  const rows = await database.query<{ manifest: Manifest; updated_at: string }>(
    `SELECT manifest,
            to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
     FROM telemetry_manifests WHERE library = $1`,
    [library],
  );
  const [row] = rows;
  if (!row) return null;
  return { manifest: canonicalOrder(row.manifest), updated_at: row.updated_at };
}

/** jsonb keeps object keys in its own order; this puts them back in the documented one. */
function canonicalOrder(manifest: Manifest): Manifest {
  return {
    library: manifest.library,
    version: manifest.version,
    components: manifest.components.map(({ name, deprecated, props }) => ({
      name,
      ...(deprecated === undefined ? {} : { deprecated }),
      ...(props === undefined
        ? {}
        : {
            props: Object.fromEntries(
              Object.keys(props)
                .sort()
                .map((prop) => [prop, props[prop] ?? []]),
            ),
          }),
    })),
  };
}
