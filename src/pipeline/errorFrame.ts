/**
 * The first frame of an error's stack, without line, column or query string: with the class and
 * the message (numbers blanked) it makes `error_hash`. `header` is the stack's "Name: message"
 * start in V8, skipped so that an "at" or "@" in the message is not taken for a frame.
 */
export function topFrame(header: string, stack: string): string {
  return (
    (stack.startsWith(header) ? stack.slice(header.length) : stack)
      .split('\n')
      .find((line) => /\bat\b|@/.test(line))
      ?.replace(/:\d+(?::\d+)?\)?\s*$/, '')
      .replace(/\?[^\s)]*/g, '')
      .trim() ?? ''
  );
}
