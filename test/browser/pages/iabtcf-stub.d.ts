/** `@iabtcf/stub` ships no types: importing it installs the `__tcfapi` stub on the window. */
declare module '@iabtcf/stub';
