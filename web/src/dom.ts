/** Small DOM helpers shared by the views. */

/** The element carrying `data-testid="id"`; throws if the page markup lacks it. */
export function byTestId<T extends HTMLElement = HTMLElement>(id: string, root: ParentNode = document): T {
  const found = root.querySelector<T>(`[data-testid="${id}"]`);
  if (!found) throw new Error(`parley: missing element [data-testid="${id}"]`);
  return found;
}

/** Creates an element with classes and, optionally, text set through textContent (never HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Shows or hides an element through the `hidden` attribute, touching the DOM only on change. */
export function show(node: HTMLElement, visible: boolean): void {
  if (node.hidden === visible) node.hidden = !visible;
}

/** Sets text (as text) and shows the element, or hides it when `text` is empty. */
export function setMessage(node: HTMLElement, text: string | null): void {
  if (text) {
    if (node.textContent !== text) node.textContent = text;
    show(node, true);
  } else {
    show(node, false);
    node.textContent = '';
  }
}

/** True when the user asked the system for less motion. */
export function prefersReducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}
