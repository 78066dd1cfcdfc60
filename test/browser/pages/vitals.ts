import { installHarness } from './shared.js';

/**
 * A page with something for each web vital to measure: a large text block (LCP, FCP), a banner
 * inserted above it after load (a layout shift without recent input, so it counts for CLS), and
 * a button whose handler blocks the main thread for ~120 ms (INP: web-vitals only reports
 * interactions at or above its 40 ms `durationThreshold`).
 */
installHarness({ webVitals: true });

const article = document.createElement('article');
article.style.font = '24px/1.4 sans-serif';
article.style.width = '700px';
article.textContent = 'The largest contentful paint of this page is this paragraph. '.repeat(12);

const button = document.createElement('button');
button.type = 'button';
button.textContent = 'Slow button';
button.style.cssText = 'display:block;width:200px;height:60px';
button.addEventListener('click', () => {
  const until = performance.now() + 120;
  while (performance.now() < until) {}
  button.textContent = 'Clicked';
});

document.body.append(button, article);

setTimeout(() => {
  const banner = document.createElement('div');
  banner.style.cssText = 'height:200px;background:#ddd';
  banner.textContent = 'A late banner pushes the content down.';
  document.body.prepend(banner);
}, 300);
