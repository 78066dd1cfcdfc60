// No SDK: the baseline for load time.
window.bench = { name: '(no SDK)', readyAt: performance.now(), ready: Promise.resolve() };
