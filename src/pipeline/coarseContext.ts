import type { EventContext } from '../wire/event.js';
import { FIELD_LIMITS } from '../wire/fieldLimits.js';

type NavigatorWithHints = Navigator & { userAgentData?: { mobile?: boolean } };

const BROWSERS: Array<[RegExp, string]> = [
  [/Edg(?:e|A|iOS)?\//, 'edge'],
  [/OPR\/|Opera/, 'opera'],
  [/SamsungBrowser/, 'samsung'],
  [/Firefox|FxiOS/, 'firefox'],
  [/Chrome|CriOS|Chromium/, 'chrome'],
  [/Safari/, 'safari'],
];
const SYSTEMS: Array<[RegExp, string]> = [
  [/Windows/, 'windows'],
  [/iPhone|iPad|iPod/, 'ios'],
  [/Android/, 'android'],
  [/CrOS/, 'chromeos'],
  [/Mac OS X|Macintosh/, 'macos'],
  [/Linux/, 'linux'],
];

const family = (ua: string, table: Array<[RegExp, string]>) =>
  table.find(([pattern]) => pattern.test(ua))?.[1] ?? 'other';

/**
 * The coarse, page-independent part of the context, derived once per client: families only,
 * never the user-agent string, versions, screen size or anything else that narrows down a person.
 */
export function coarseContext(nav: Navigator | undefined): Omit<EventContext, 'path'> {
  if (!nav) return {};
  const ua = String(nav.userAgent ?? '');
  let os = family(ua, SYSTEMS);
  // iPadOS 13+ reports a Mac user agent; only the touch screen tells them apart.
  if (os === 'macos' && (nav.maxTouchPoints ?? 0) > 1) os = 'ios';
  const mobileHint = (nav as NavigatorWithHints).userAgentData?.mobile;
  const device =
    /iPad|Tablet/.test(ua) ||
    (os === 'ios' && !/iPhone|iPod/.test(ua)) ||
    (os === 'android' && !/Mobile/.test(ua))
      ? 'tablet'
      : mobileHint === true || /Mobi|iPhone|iPod/.test(ua)
        ? 'mobile'
        : 'desktop';
  const context: Omit<EventContext, 'path'> = { browser: family(ua, BROWSERS), os, device };
  if (typeof nav.language === 'string' && nav.language)
    context.locale = nav.language.slice(0, FIELD_LIMITS.locale);
  return context;
}
