import { CAPTURE_LIMITS } from '../wire/rules.js';
import { MAX_DESTINATIONS } from './maxDestinations.js';
import { Message } from './message.js';

/**
 * The texts of `Message`, loaded only where `debug` is on (lib/debug.ts). Each says what went
 * wrong and what became of the call; `{}` is the subject the call names.
 */
export const MESSAGE_TEXTS: { readonly [code in Message]: string } = {
  [Message.NeedsOptions]: 'createTelemetry needs options; telemetry is off',
  [Message.NoEndpoint]: 'no endpoint or transport: nothing will be sent',
  [Message.NeedsServiceName]: 'serviceName is required; "unknown" is used',
  [Message.InvalidEventType]: 'event types are 1-64 of A-Z a-z 0-9 . _ - :; dropped',
  [Message.MetadataTooLarge]: `metadata over ${CAPTURE_LIMITS.metadataSize} characters; dropped`,
  [Message.TooManyMounts]:
    'too many component mounts waiting to be counted; the rest are not counted',
  [Message.NeedsName]: '{} needs a non-empty name; ignored',
  [Message.ErrorCapReached]: 'error cap reached; later errors are not recorded',
  [Message.IdentifyTakesString]: 'identify() takes a non-empty string or null; ignored',
  [Message.Failed]: '{} failed unexpectedly',
  [Message.MetadataNotObject]: 'metadata must be a plain object; ignored',
  [Message.MetadataTooManyValues]: `metadata over ${CAPTURE_LIMITS.values} values; the rest dropped`,
  [Message.MetadataNotFinite]: 'metadata NaN or Infinity became null',
  [Message.MetadataBigInt]: 'metadata BigInt became a string',
  [Message.MetadataDropped]: 'metadata {} dropped',
  [Message.MetadataCycle]: 'metadata cycle became "[circular]"',
  [Message.MetadataTooDeep]: `metadata deeper than ${CAPTURE_LIMITS.depth} levels dropped`,
  [Message.MetadataArrayCut]: `metadata arrays cut to ${CAPTURE_LIMITS.arrayLength} items`,
  [Message.MetadataObjectCut]: `metadata objects cut to ${CAPTURE_LIMITS.keysPerObject} keys`,
  [Message.MetadataGetterThrew]: 'metadata getter threw; key dropped',
  [Message.MetadataUnreadable]: 'metadata value unreadable (a throwing getter or Proxy); dropped',
  [Message.RefusedDenied]:
    '{} was not recorded: consent is denied (the user declined, or Global Privacy Control / Do-Not-Track is on); nothing is recorded until the user grants it',
  [Message.ConsentSourceFailed]:
    'the consent source threw when subscribed to; consent stays unknown, and nothing is recorded',
  [Message.RefusedClosed]: '{} was not recorded: the client was shut down',
  [Message.DestinationsNotArray]: 'destinations must be an array; none is used',
  [Message.DestinationInvalid]:
    'destination {} needs a unique name, an endpoint or transport, and arrays of strings for libraries and events (events: valid event types); it is ignored',
  [Message.DestinationTooMany]: `at most ${MAX_DESTINATIONS} destinations; {} is ignored`,
};
