import type { DropReason } from '../wire/event.js';

/**
 * Why events are dropped and what to change, by reason: the text `debug` tells the first time
 * a reason drops events (of a given type, where it is known). docs/core.md has the same table.
 */
export const DROP_EXPLANATIONS: {
  readonly [reason in DropReason]: { cause: string; fix: string };
} = {
  overflow: {
    cause: 'more events waited on this device than it keeps (maxQueueSize), and the oldest went',
    fix: 'check why they are not delivered (status().lastError), or raise maxQueueSize',
  },
  expired: {
    cause: 'they waited longer than maxEventAgeMs (7 days by default) without being delivered',
    fix: 'make sure the collector is reachable from the page, or raise maxEventAgeMs',
  },
  quota: {
    cause: 'the browser refused to store them: its storage for this site is full',
    fix: 'free storage for the site; the client keeps events in memory meanwhile',
  },
  invalid: {
    cause:
      'they were not valid events: beforeSend threw or returned a non-event, a flow event was out of order or incomplete (the message before says which), or the collector rejected them one by one',
    fix: 'return the event (or null) from beforeSend; end each flow once, after its start; see the collector answer for what it refused',
  },
  too_large: {
    cause:
      'one event was too large even alone (its metadata over the limits, or a 413 from the collector)',
    fix: 'send fewer or shorter metadata values',
  },
  rejected: {
    cause: 'the collector answered a batch with a 4xx status other than 408, 413 and 429',
    fix: 'check the endpoint, the CORS origins and the reason the collector gives',
  },
  before_send: {
    cause: 'beforeSend returned null or false for them',
    fix: 'nothing, if beforeSend meant to drop them',
  },
  sampled: {
    cause: 'sampling keeps this type in a share of sessions only, and this session is not one',
    fix: 'raise the sampling rate of the type (sampling option) if every session should send it',
  },
};

/** The debug message of a drop: the event type (where known), the reason, its cause and fix. */
export function explainDrop(reason: DropReason, eventType?: string): string {
  const { cause, fix } = DROP_EXPLANATIONS[reason];
  const what = eventType ? `"${eventType}" events` : 'events';
  return `${what} were dropped (${reason}): ${cause}. To change: ${fix}.`;
}
