/**
 * Calls `onNavigate` after every History API navigation: `pushState` and `replaceState` (which
 * fire no event, so they are wrapped) and `popstate`. Returns the uninstaller, which restores
 * the original methods unless someone wrapped them after us.
 */
export function watchHistory(win: Window, onNavigate: () => void): () => void {
  const history = win.history;
  if (!history) return () => {};
  const wrap = (name: 'pushState' | 'replaceState') => {
    const original = history[name];
    const wrapped = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      try {
        onNavigate();
      } catch {}
      return result;
    };
    history[name] = wrapped;
    return () => {
      if (history[name] === wrapped) history[name] = original;
    };
  };
  const restorePush = wrap('pushState');
  const restoreReplace = wrap('replaceState');
  win.addEventListener('popstate', onNavigate);
  return () => {
    restorePush();
    restoreReplace();
    win.removeEventListener('popstate', onNavigate);
  };
}
