import type { Draft } from '../capture/createInbox.js';
import type { DebugReporter } from '../lib/debug.js';
import { buildEvent } from '../pipeline/buildEvent.js';
import { finishDraft } from '../pipeline/finishDraft.js';
import type { EngineStages } from './assembleStages.js';

/**
 * A draft as the event it becomes, for "show me the data": built by the same pipeline steps as
 * a sent event, with the ids there are so far (placeholders before consent), and never queued.
 */
export function createPreview(
  stages: Pick<EngineStages, 'shapePath' | 'eventContext' | 'identity'>,
  debug: DebugReporter,
) {
  return (draft: Draft) =>
    buildEvent(
      finishDraft(draft, debug, stages.shapePath),
      stages.eventContext,
      { anonymousId: stages.identity.peekAnonymousId() ?? 'pending', sessionId: 'pending' },
      debug,
    );
}
