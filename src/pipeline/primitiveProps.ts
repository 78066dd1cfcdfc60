import { cut } from '../capture/cleanShape.js';
import { FIELD_LIMITS } from '../wire/fieldLimits.js';

export type ComponentProps = Record<string, string | number | boolean | null>;

/**
 * Keeps primitive props only (variants, sizes, flags): never children, functions, objects or
 * anything that could carry user content. Strings are cut here and scrubbed when the event is
 * built (pipeline/finishDraft.ts).
 */
export function primitiveProps(props: unknown): ComponentProps {
  const out: ComponentProps = {};
  if (!props || typeof props !== 'object') return out;
  let kept = 0;
  try {
    for (const key of Object.keys(props).sort()) {
      if (kept >= FIELD_LIMITS.props) break;
      if (key === 'children' || key === '__proto__') continue;
      const value = (props as Record<string, unknown>)[key];
      if (typeof value === 'string') out[key] = cut(value, FIELD_LIMITS.propValue);
      else if (typeof value === 'boolean' || value === null) out[key] = value;
      else if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
      else continue;
      kept++;
    }
  } catch {
    // A Proxy or getter that throws: keep what was read.
  }
  return out;
}
