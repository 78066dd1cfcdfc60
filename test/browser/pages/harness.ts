import { installHarness } from './shared.js';

/**
 * A small app: a few buttons that call the client the way an app's own code would, so a test
 * can "click around" with real input events before and after consent.
 */
installHarness();
const { tk } = window;

let clicks = 0;
let dark = false;
let pageNumber = 1;

const button = (name: string, onClick: () => void) => {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = name;
  element.addEventListener('click', onClick);
  document.body.append(element);
};

const heading = document.createElement('h1');
heading.textContent = 'Harness';
document.body.append(heading);

button('Track a click', () => tk.track('ui.click', { label: `click-${clicks++}` }));
button('Next page', () => {
  pageNumber++;
  // The client watches pushState for page views when `pageViews` is on.
  history.pushState(null, '', `/pages/harness-${pageNumber}.html${location.search}`);
  heading.textContent = `Harness page ${pageNumber}`;
});
button('Toggle dark mode', () => {
  dark = !dark;
  tk.featureToggled('dark-mode', dark);
});
button('Mount a card', () => {
  const card = document.createElement('section');
  card.textContent = 'Card';
  document.body.append(card);
  tk.componentMounted('Card', { variant: 'outlined' }, { library: 'harness-ui', version: '1.0.0' });
  tk.featureUsed('cards', { count: document.querySelectorAll('section').length });
});
button('Break something', () => {
  // Uncaught, as an app's bug would be: one error event and one unhandled rejection, when
  // `captureErrors` is on.
  setTimeout(() => {
    throw new Error('harness failure');
  });
  void Promise.reject(new Error('harness rejection'));
});
