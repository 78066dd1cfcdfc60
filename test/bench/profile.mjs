// Summarises a CDP CPU profile of a bench page: self and total time per function and per
// source module, located through the bundle's source map.

/**
 * Self and total time per function and per source module. `onlyPage` keeps the samples whose
 * stack runs through the page's bundle (drops the profiler's own start and stop). `lookup`
 * maps a position in one of the page's files (URL, line, column) to a source line.
 */
export function summarise(profile, { lookup, onlyPage }) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const inPage = (node) => node.callFrame.url.includes('/assets/');
  const where = (node) =>
    lookup(node.callFrame.url, node.callFrame.lineNumber, node.callFrame.columnNumber);
  const moduleOf = (node) => where(node)?.file ?? '(page)';
  const key = (node) => {
    const frame = node.callFrame;
    if (inPage(node)) {
      const at = where(node);
      return `${frame.functionName || '(anonymous)'} — ${at ? `${at.file}:${at.line}` : '(page)'}`;
    }
    if (frame.functionName.startsWith('(')) return frame.functionName;
    // Browser built-ins (IndexedDB, crypto, fetch…): named with the module that called them.
    // V8 reports some built-in setters under unrelated names (“set webkitSpeechRecognitionEvent”).
    const name =
      /^set webkit/.test(frame.functionName) || !frame.functionName
        ? 'built-in code'
        : frame.functionName;
    let caller = parent.get(node.id);
    while (caller !== undefined && !inPage(byId.get(caller))) caller = parent.get(caller);
    if (caller === undefined) return `${name} (built-in)`;
    const ours = ownCaller(byId.get(caller));
    const via = moduleOf(byId.get(caller));
    return `${name} (built-in) ← ${via === ours?.module ? '' : `${via} ← `}${ours ? ours.label : ''}`.replace(
      / ← $/,
      '',
    );
  };
  /** The nearest frame in telemetry-kit's own code (src/, react/), from `node` up. */
  const ownCaller = (node) => {
    for (let at = node.id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!inPage(frame)) continue;
      const position = where(frame);
      if (position && /^(src|react)\//.test(position.file))
        return {
          module: position.file,
          label: `${frame.callFrame.functionName || '(anonymous)'} (${position.file}:${position.line})`,
        };
    }
    return null;
  };
  const self = new Map();
  const total = new Map();
  const byModule = new Map();
  let busy = 0;
  let sampled = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    sampled += ms;
    const node = byId.get(id);
    const stack = [];
    for (let at = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at));
    if (onlyPage && !stack.some(inPage)) return;
    const name = key(node);
    if (name === '(idle)' || name === '(root)') return;
    busy += ms;
    self.set(name, (self.get(name) ?? 0) + ms);
    const pageFrame = stack.find(inPage);
    const module = pageFrame ? (ownCaller(pageFrame)?.module ?? moduleOf(pageFrame)) : name;
    byModule.set(module, (byModule.get(module) ?? 0) + ms);
    const seen = new Set();
    for (const frame of stack) {
      const k = key(frame);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + ms);
    }
  });
  const rank = (map, count) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
  return {
    sampledMs: sampled,
    busyMs: busy,
    top: rank(self, 15).map(([name, ms]) => ({
      name,
      selfMs: ms,
      totalMs: total.get(name) ?? ms,
    })),
    modules: rank(byModule, 10).map(([name, ms]) => ({ name, selfMs: ms })),
  };
}
