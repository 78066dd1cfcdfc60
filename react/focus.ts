/** Elements a keyboard user can reach with Tab (WAI-ARIA APG, dialog pattern). */
const TABBABLE =
  'a[href], area[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, iframe, [contenteditable="true"], [tabindex]:not([tabindex="-1"])';

/** The tabbable elements inside `container`, in document order. */
export function tabbableIn(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(TABBABLE)).filter(
    (element) => !element.closest('[hidden], [inert]'),
  );
}

/**
 * Keeps Tab and Shift+Tab inside `container` (a modal dialog's focus trap): from the last
 * element Tab wraps to the first, and back. Returns true when it moved focus itself.
 */
export function trapTab(
  event: { key: string; shiftKey: boolean; preventDefault(): void },
  container: HTMLElement,
): boolean {
  if (event.key !== 'Tab') return false;
  const tabbable = tabbableIn(container);
  const first = tabbable[0];
  const last = tabbable[tabbable.length - 1];
  if (!first || !last) {
    event.preventDefault();
    return true;
  }
  const active = container.ownerDocument.activeElement;
  const leavingBackwards = event.shiftKey && (active === first || active === container);
  const leavingForwards = !event.shiftKey && (active === last || !container.contains(active));
  if (!leavingBackwards && !leavingForwards) return false;
  event.preventDefault();
  (event.shiftKey ? last : first).focus();
  return true;
}
