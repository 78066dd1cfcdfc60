import type { Draft } from '../capture/createInbox.js';
import type { Report } from '../lib/createReport.js';
import type { DebugReporter } from '../lib/debug.js';
import { newId } from '../lib/newId.js';
import type { TelemetryOptions } from '../types.js';
import type { EventContext, TelemetryEvent } from '../wire/event.js';
import { applyBeforeSend } from './applyBeforeSend.js';
import { buildEvent, type EventIds } from './buildEvent.js';
import type { FlowTracker } from './createFlowTracker.js';
import type { Identity } from './createIdentity.js';
import { createSampler } from './createSampler.js';
import { finishDraft } from './finishDraft.js';

export interface EventPipelineOptions {
  identity: Identity;
  sampling: TelemetryOptions['sampling'] | undefined;
  beforeSend: TelemetryOptions['beforeSend'] | undefined;
  /** The coarse, page-independent part of every event's context. */
  context: Omit<EventContext, 'path'>;
  debug: DebugReporter;
  /** Shapes the raw page path a draft comes with (pipeline/shapePath.ts). */
  shapePath: (path: string) => string;
  /** Checks flow events and gives a `flow.end` its duration (pipeline/createFlowTracker.ts). */
  flows: FlowTracker;
  /** Where an event `beforeSend` broke (it threw or returned a non-event) is counted. */
  report: Pick<Report, 'countDropped'>;
}

/**
 * Draft → events: scrubbed, given the anonymous id, the session (with the `session.end` and
 * `session.start` a draft may cause) and the user hash, sampled per session, and shown to
 * `beforeSend`. Returns what is to be queued, in order; a draft that is sampled out or dropped
 * by `beforeSend` yields none.
 */
export function createEventPipeline(options: EventPipelineOptions) {
  const { identity, context, debug } = options;
  const sample = createSampler(options.sampling);
  return (draft: Draft): TelemetryEvent[] => {
    const out: TelemetryEvent[] = [];
    const add = (event: TelemetryEvent, rate = 1) => {
      if (rate < 1) event.sampling_rate = rate;
      const edited = applyBeforeSend(options.beforeSend, event, debug);
      if (edited === 'invalid') options.report.countDropped('invalid', 1, event.event_type);
      else if (edited) out.push(edited);
      else options.report.countDropped('before_send', 1, event.event_type);
    };
    const lifecycle = (type: string, at: number, path: string | undefined, ids: EventIds) =>
      buildEvent({ id: newId(), type, metadata: {}, at, path }, context, ids, debug);
    // Scrubbed first: a session it starts takes its path.
    finishDraft(draft, debug, options.shapePath);
    if (!options.flows.check(draft)) {
      options.report.countDropped('invalid', 1, draft.type);
      return out;
    }
    const session = identity.touchSession(draft.at);
    const ids: EventIds = {
      anonymousId: identity.anonymousId(),
      sessionId: session.sessionId,
      userId: identity.userId(),
    };
    if (session.ended) {
      const { ended } = session;
      const end = lifecycle('session.end', ended.at, undefined, {
        ...ids,
        sessionId: ended.sessionId,
      });
      end.metadata.duration_ms = ended.durationMs;
      add(end);
    }
    if (session.started) add(lifecycle('session.start', draft.at, draft.path, ids));
    const rate = sample(draft.type, session.sessionId);
    if (rate > 0) add(buildEvent(draft, context, ids, debug), rate);
    else options.report.countDropped('sampled', 1, draft.type);
    return out;
  };
}
