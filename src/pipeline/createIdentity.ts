import { newId } from '../lib/newId.js';
import { parseJson } from '../lib/parseJson.js';
import { DEVICE_KEYS } from '../storage/deviceKeys.js';
import type { KeyValue } from '../storage/keyValue.js';
import { ID_PATTERN, USER_HASH_PATTERN } from '../wire/idPatterns.js';

/** A session ends after 30 minutes without an event, the common web-analytics convention. */
export const SESSION_TIMEOUT_MS = 30 * 60 * 1000;
// Writing the session's last-seen time on every event would cost a localStorage write per call.
const TOUCH_WRITE_INTERVAL_MS = 5_000;

interface StoredSession {
  id: string;
  start: number;
  last: number;
}

/** What a touch of the session changed, so the caller can emit lifecycle events. */
export interface SessionTouch {
  sessionId: string;
  /** The session that timed out, if one did. */
  ended?: { sessionId: string; at: number; durationMs: number };
  /** True when this touch began a new session. */
  started: boolean;
}

/**
 * The anonymous id, the session and the hashed user id. Only called once consent is granted:
 * before that nothing here is read or written. Sessions live in localStorage, shared by tabs.
 */
export interface Identity {
  anonymousId(): string;
  /** The anonymous id if one exists, without creating it. */
  peekAnonymousId(): string | null;
  touchSession(at: number): SessionTouch;
  userId(): string | undefined;
  /** Resolves when a pending `identify()` hash is ready. */
  ready(): Promise<void>;
  identify(userId: string | null): void;
  /** Forgets the ids held in memory (the caller erases the stored ones); the next event starts afresh. */
  discard(): void;
}

/** SHA-256 of `text` as lowercase hex, or null where Web Crypto is missing (insecure context). */
async function sha256Hex(text: string): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  try {
    const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join(
      '',
    );
  } catch {
    return null;
  }
}

export function createIdentity(
  kv: KeyValue,
  salt: string,
  onHashUnavailable: () => void,
): Identity {
  let anonymousId: string | null = null;
  let session: StoredSession | null = null;
  let sessionWrittenAt = 0;
  let userHash: string | undefined;
  let userLoaded = false;
  let pending: Promise<void> = Promise.resolve();
  let generation = 0;

  const readSession = (): StoredSession | null => {
    const value = parseJson(kv.get(DEVICE_KEYS.session)) as Partial<StoredSession> | undefined;
    return value &&
      typeof value.id === 'string' &&
      typeof value.start === 'number' &&
      typeof value.last === 'number'
      ? { id: value.id, start: value.start, last: value.last }
      : null;
  };
  const writeSession = (value: StoredSession) => {
    session = value;
    sessionWrittenAt = value.last;
    kv.set(DEVICE_KEYS.session, JSON.stringify(value));
  };

  return {
    anonymousId() {
      if (anonymousId) return anonymousId;
      const stored = kv.get(DEVICE_KEYS.anonymousId);
      anonymousId = stored && ID_PATTERN.test(stored) ? stored : newId();
      if (anonymousId !== stored) kv.set(DEVICE_KEYS.anonymousId, anonymousId);
      return anonymousId;
    },
    peekAnonymousId: () => anonymousId ?? kv.get(DEVICE_KEYS.anonymousId),
    touchSession(at) {
      // Another tab may have moved the session on; re-read unless this tab wrote it just now.
      if (!session || at - sessionWrittenAt > TOUCH_WRITE_INTERVAL_MS)
        session = readSession() ?? session;
      if (session && at - session.last <= SESSION_TIMEOUT_MS) {
        if (at > session.last) session.last = at;
        if (at - sessionWrittenAt > TOUCH_WRITE_INTERVAL_MS) writeSession(session);
        return { sessionId: session.id, started: false };
      }
      const ended = session
        ? {
            sessionId: session.id,
            at: session.last,
            durationMs: Math.max(0, session.last - session.start),
          }
        : undefined;
      writeSession({ id: newId(), start: at, last: at });
      return ended
        ? { sessionId: session!.id, ended, started: true }
        : { sessionId: session!.id, started: true };
    },
    userId() {
      if (!userLoaded) {
        userLoaded = true;
        const stored = kv.get(DEVICE_KEYS.userHash);
        if (stored && USER_HASH_PATTERN.test(stored)) userHash = stored;
      }
      return userHash;
    },
    ready: () => pending,
    identify(userId) {
      const mine = ++generation;
      userLoaded = true;
      if (userId === null) {
        userHash = undefined;
        kv.remove(DEVICE_KEYS.userHash);
        pending = Promise.resolve();
        return;
      }
      pending = sha256Hex(`${salt}:${userId}`).then((hash) => {
        if (mine !== generation) return;
        if (!hash) {
          onHashUnavailable();
          return;
        }
        userHash = hash;
        kv.set(DEVICE_KEYS.userHash, hash);
      });
    },
    discard() {
      generation++;
      anonymousId = null;
      session = null;
      sessionWrittenAt = 0;
      userHash = undefined;
      userLoaded = true;
    },
  };
}
