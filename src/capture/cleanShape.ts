import { Message } from '../lib/message.js';
import type { MetadataValue } from '../wire/event.js';
import { CAPTURE_LIMITS } from '../wire/rules.js';

/**
 * Cuts a string to twice `max`, the most that cleaning keeps. The cut to `max` itself is
 * scrubbing's (`scrubString`), later: scrubbing first sees the whole window, so an email or a
 * token that straddles the limit is still recognised and replaced, not cut in half and leaked.
 */
export const cut = (text: string, max: number): string =>
  text.length > max * 2 ? text.slice(0, max * 2) : text;

/** Cuts a string to `max` characters, marking the cut with an ellipsis. */
export const truncate = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** Collects what cleaning had to repair, for one debug line per problem. */
export type NoteProblem = (problem: Message | string, subject?: string) => void;

export interface CleanedMetadata {
  value: { [key: string]: MetadataValue };
  /** Approximate serialised size in characters. */
  size: number;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Turns anything a caller passes into a JSON-safe, limited copy. Never throws: functions and
 * symbols are dropped, BigInt becomes a string, cycles become "[circular]", getters that throw
 * (hostile Proxies, broken `toJSON`) lose their key.
 *
 * It does not scrub: that is `scrubTree` (pipeline/scrub.ts), which runs when the event is built,
 * in the delivery engine or for "show me the data", so that the patterns stay out of the code
 * every page loads. Strings are cut at twice their limit here (see `cut`); `size` counts them
 * at their limit.
 */
export function cleanShape(input: unknown, note: NoteProblem): CleanedMetadata {
  if (input === undefined || input === null) return { value: {}, size: 2 };
  if (typeof input !== 'object' || Array.isArray(input)) {
    note(Message.MetadataNotObject);
    return { value: {}, size: 2 };
  }
  // The objects being walked, outermost first: at most CAPTURE_LIMITS.depth, so an array beats a Set.
  const ancestors: object[] = [];
  let values = 0;
  let size = 2;

  const walk = (value: unknown, depth: number): MetadataValue | undefined => {
    if (++values > CAPTURE_LIMITS.values) {
      note(Message.MetadataTooManyValues);
      return undefined;
    }
    switch (typeof value) {
      case 'string': {
        size += Math.min(value.length, CAPTURE_LIMITS.stringLength) + 3;
        return cut(value, CAPTURE_LIMITS.stringLength);
      }
      case 'number':
        size += 8;
        if (Number.isFinite(value)) return value;
        note(Message.MetadataNotFinite);
        return null;
      case 'boolean':
        size += 5;
        return value;
      case 'bigint':
        note(Message.MetadataBigInt);
        size += 20;
        return value.toString();
      case 'undefined':
        return undefined;
      case 'function':
      case 'symbol':
        note(Message.MetadataDropped, typeof value);
        return undefined;
    }
    if (value === null) {
      size += 4;
      return null;
    }
    const object = value as object;
    if (ancestors.includes(object)) {
      note(Message.MetadataCycle);
      return '[circular]';
    }
    if (depth >= CAPTURE_LIMITS.depth) {
      note(Message.MetadataTooDeep);
      return undefined;
    }
    // In the list for the whole try, so that `finally` always takes off what it put on.
    ancestors.push(object);
    try {
      if (object instanceof Date) {
        size += 26;
        return Number.isNaN(object.getTime()) ? null : object.toISOString();
      }
      if (object instanceof Error) {
        const name = cut(String(object.name), CAPTURE_LIMITS.errorClass);
        const message = cut(String(object.message), CAPTURE_LIMITS.stringLength);
        size +=
          Math.min(name.length, CAPTURE_LIMITS.errorClass) +
          Math.min(message.length, CAPTURE_LIMITS.stringLength) +
          25;
        return { name, message };
      }
      if (Array.isArray(object) || object instanceof Set) {
        const items = Array.from(object as Iterable<unknown>).slice(0, CAPTURE_LIMITS.arrayLength);
        if (
          (Array.isArray(object) ? object.length : (object as Set<unknown>).size) >
          CAPTURE_LIMITS.arrayLength
        ) {
          note(Message.MetadataArrayCut);
        }
        size += 2;
        return items.map((item) => {
          size += 1;
          return walk(item, depth + 1) ?? null;
        });
      }
      const map = object instanceof Map ? object : undefined;
      const keys: unknown[] = map ? Array.from(map.keys()) : Object.keys(object);
      if (keys.length > CAPTURE_LIMITS.keysPerObject) {
        note(Message.MetadataObjectCut);
      }
      const out: { [key: string]: MetadataValue } = {};
      size += 2;
      for (let i = 0; i < keys.length && i < CAPTURE_LIMITS.keysPerObject; i++) {
        const rawKey = keys[i];
        const key = String(rawKey).slice(0, CAPTURE_LIMITS.keyLength);
        if (FORBIDDEN_KEYS.has(key)) continue;
        let raw: unknown;
        try {
          raw = map ? map.get(rawKey) : (object as Record<string, unknown>)[key];
        } catch {
          note(Message.MetadataGetterThrew);
          continue;
        }
        const cleaned = walk(raw, depth + 1);
        if (cleaned !== undefined) {
          out[key] = cleaned;
          size += key.length + 4;
        }
      }
      return out;
    } catch {
      note(Message.MetadataUnreadable);
      return undefined;
    } finally {
      ancestors.pop();
    }
  };

  const value = walk(input, 0);
  return {
    value: value && typeof value === 'object' && !Array.isArray(value) ? value : {},
    size,
  };
}
