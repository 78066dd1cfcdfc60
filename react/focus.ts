/**
 * Keeps Tab and Shift+Tab inside a modal dialog (WAI-ARIA APG, dialog pattern): from its last
 * control Tab wraps to the first, and Shift+Tab from the first (or from the dialog itself, which
 * takes focus on opening) wraps to the last.
 *
 * Only the dialog's own markup is inside it (its texts are strings, never elements), so its
 * tabbable elements are its buttons and its scrollable example (`tabindex="0"`). The keydown's
 * target is the focused element.
 */
export function trapTab(
  event: { key: string; shiftKey: boolean; target: unknown; preventDefault(): void },
  dialog: HTMLElement,
): void {
  if (event.key !== 'Tab') return;
  const tabbable = dialog.querySelectorAll<HTMLElement>('button, [tabindex="0"]');
  const first = tabbable[0];
  const last = tabbable[tabbable.length - 1];
  const leaving = event.shiftKey
    ? event.target === first || event.target === dialog
    : event.target === last;
  if (!leaving) return;
  event.preventDefault();
  (event.shiftKey ? last : first)?.focus();
}
