/** The package version, replaced at build time (tsup `define`, vitest `define`). */
declare const __SDK_VERSION__: string;
