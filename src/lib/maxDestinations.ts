/** Most destinations a client sends to besides the app's own collector. */
export const MAX_DESTINATIONS = 5;
