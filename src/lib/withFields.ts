import type { Metadata } from '../types.js';

/**
 * The caller's metadata with the library's `fields` on top, for calls that add fields through a
 * public method (flows). Metadata that is not an object, or whose getters throw, gives way to
 * the fields alone: the public method reports nothing for it, so a flow never fails on it.
 */
export function withFields(metadata: unknown, fields: Metadata): Metadata {
  try {
    return metadata && typeof metadata === 'object' ? { ...metadata, ...fields } : fields;
  } catch {
    return fields;
  }
}
