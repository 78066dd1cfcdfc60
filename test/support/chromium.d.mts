/** Launch flags for headless Chromium on a closed network. */
export declare const CHROMIUM_ARGS: string[];
/** Chromium from `CHROMIUM_PATH` or the Debian package; throws a clear message if none. */
export declare function findChromium(): string;
