/**
 * Accessible names tied to text already on the screen. A control whose visible
 * text is short ("Mute 5 min") but means more in its place (whom it mutes) is
 * named by its own text followed by that context, through `aria-labelledby`,
 * so the name starts with what sighted people read (WCAG 2.5.3, label in name)
 * and no second wording of it exists to drift or to translate.
 */

let counter = 0;

/** The element's id, given a fresh one (`a11y-<n>`) when it has none. */
export function idOf(node: HTMLElement): string {
  if (!node.id) node.id = `a11y-${++counter}`;
  return node.id;
}

/** Names `target` by the text of `parts`, in order (`target` itself may be one of them: its own content). */
export function labelledBy(target: HTMLElement, ...parts: (HTMLElement | null | undefined)[]): void {
  target.removeAttribute('aria-label');
  target.setAttribute('aria-labelledby', parts.filter((p): p is HTMLElement => !!p).map(idOf).join(' '));
}

/** Describes `target` by the text of `parts`, in order (read after its name). */
export function describedBy(target: HTMLElement, ...parts: (HTMLElement | null | undefined)[]): void {
  target.setAttribute('aria-describedby', parts.filter((p): p is HTMLElement => !!p).map(idOf).join(' '));
}

/**
 * The parts with a space between each two, to append to a flex row: the spaces take no room there (a flex
 * container drops white space between its items), but text read from the row (a name from its content,
 * a checker's "visible text") keeps its words apart.
 */
export function spaced(...parts: (Node | null | undefined)[]): Node[] {
  return parts.filter((p): p is Node => !!p).flatMap((p, i) => (i === 0 ? [p] : [document.createTextNode(' '), p]));
}
