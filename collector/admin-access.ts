import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The cookie the sign-in form sets. */
export const SESSION_COOKIE = 'telemetry_kit_admin';

/** Who may see the dashboard and `GET /v1/stats`. */
export interface AdminAccess {
  /** True when an admin token is configured (otherwise: loopback only). */
  readonly tokenConfigured: boolean;
  /** Whether the request carries the token (bearer or cookie), or comes from loopback when no token is set. */
  isAdmin(request: Request, clientAddress: string | undefined): boolean;
  /** Whether `candidate` is the admin token, compared in constant time. */
  isToken(candidate: string): boolean;
  /** The `Set-Cookie` value that signs the browser in. */
  sessionCookie(request: Request): string;
  /** The `Set-Cookie` value that signs it out. */
  clearedCookie(request: Request): string;
}

/**
 * Token checks hash both sides first: `timingSafeEqual` needs equal lengths, and comparing
 * fixed-size digests leaks neither the token's content nor its length through timing.
 */
export function createAdminAccess(adminToken: string | undefined): AdminAccess {
  const token = adminToken && adminToken.length > 0 ? adminToken : undefined;
  const tokenDigest = token === undefined ? undefined : sha256(token);
  // The cookie holds a value derived from the token, never the token itself: a leaked cookie
  // does not reveal what to type into the form or send as a bearer.
  const sessionValue =
    token === undefined
      ? undefined
      : createHmac('sha256', token).update('dashboard session v1').digest('hex');
  const sessionDigest = sessionValue === undefined ? undefined : sha256(sessionValue);

  const isToken = (candidate: string) =>
    tokenDigest !== undefined && timingSafeEqual(sha256(candidate), tokenDigest);

  return {
    tokenConfigured: token !== undefined,
    isAdmin(request, clientAddress) {
      if (token === undefined) return isLoopback(clientAddress) && isLoopbackHost(request);
      const authorization = request.headers.get('authorization') ?? '';
      const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
      if (bearer !== undefined && isToken(bearer.trim())) return true;
      const cookie = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
      return (
        cookie !== undefined &&
        sessionDigest !== undefined &&
        timingSafeEqual(sha256(cookie), sessionDigest)
      );
    },
    isToken,
    sessionCookie(request) {
      return `${SESSION_COOKIE}=${sessionValue ?? ''}; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000${secure(request)}`;
    },
    clearedCookie(request) {
      return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure(request)}`;
    },
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function secure(request: Request): string {
  return new URL(request.url).protocol === 'https:' ? '; Secure' : '';
}

function readCookie(header: string | null, name: string): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (`::ffff:127.0.0.1`). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

/**
 * Without a token, a loopback connection is not enough: a web page can point its own host name
 * at 127.0.0.1 (DNS rebinding) and read the answer. Its Host header still names that page.
 */
function isLoopbackHost(request: Request): boolean {
  const host = new URL(request.url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
