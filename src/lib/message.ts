/**
 * The debug messages of the code every page loads, by number. Their texts are in
 * `messageTexts.ts`, a chunk loaded only once a page turned `debug` on, so that no page carries
 * them otherwise (as React ships error codes and TanStack strips dev warnings). `{}` in a text
 * stands for the subject a call names (a method, a type).
 */
// biome-ignore lint/suspicious/noConstEnum: the bundlers that build and measure the package (tsup, the size check, the bench: esbuild) inline each member as its number across files; per-file transpilers (vitest) emit a plain enum, which works the same
export const enum Message {
  NeedsOptions = 1,
  NoEndpoint,
  NeedsServiceName,
  InvalidEventType,
  MetadataTooLarge,
  TooManyMounts,
  NeedsName,
  ErrorCapReached,
  IdentifyTakesString,
  Failed,
  MetadataNotObject,
  MetadataTooManyValues,
  MetadataNotFinite,
  MetadataBigInt,
  MetadataDropped,
  MetadataCycle,
  MetadataTooDeep,
  MetadataArrayCut,
  MetadataObjectCut,
  MetadataGetterThrew,
  MetadataUnreadable,
  DestinationsNotArray,
  DestinationInvalid,
  DestinationTooMany,
  RefusedDenied,
  RefusedClosed,
  ConsentSourceFailed,
}
