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

/**
 * `el` for text a person wrote (a message, a name, a title, a topic): its
 * direction follows the text (`dir="auto"`), so Arabic or Hebrew runs right to left.
 */
export function userText<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string | undefined,
  text: string,
): HTMLElementTagNameMap[K] {
  const node = el(tag, className, text);
  node.dir = 'auto';
  return node;
}

/**
 * Fills `node` with `parts` joined by `separator`; each part a person wrote
 * (`{ user }`) sits in its own `<bdi dir="auto">`, so its direction cannot
 * reorder the words around it.
 */
const mixedShown = new WeakMap<HTMLElement, string>();

export function setMixedText(node: HTMLElement, parts: readonly (string | { user: string })[], separator = ' · '): void {
  // Rendered again on every state change: the same line keeps its nodes (and what a reader or a selection holds).
  const key = JSON.stringify([parts, separator]);
  if (mixedShown.get(node) === key && node.childNodes.length > 0) return;
  mixedShown.set(node, key);
  const children: (Node | string)[] = [];
  parts.forEach((part, i) => {
    if (i > 0) children.push(separator);
    children.push(typeof part === 'string' ? part : userText('bdi', undefined, part.user));
  });
  node.replaceChildren(...children);
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

const FOCUSABLE = 'button, input, textarea, select, a[href], [tabindex]:not([tabindex="-1"])';

function usable(node: HTMLElement): boolean {
  return !(node as HTMLButtonElement).disabled && node.getClientRects().length > 0;
}

/**
 * Focuses the first control shown in `root`: one marked `data-autofocus` (the
 * main control of its screen), else the first focusable one. False if none is shown.
 */
export function focusFirstControl(root: ParentNode): boolean {
  const target =
    [...root.querySelectorAll<HTMLElement>('[data-autofocus]')].find(usable) ??
    [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].find(usable);
  target?.focus();
  return !!target;
}
