/**
 * Driving a page with the keyboard only, for the browser tests: Tab (or
 * Shift+Tab) until a control has focus, checking at every stop that the focus
 * can be seen, that is the focused element draws a focus indicator (an outline,
 * or a ring or border of box shadow) whose colour has at least 3:1 contrast
 * (WCAG 1.4.11) with the background it is drawn on.
 */
import type { Page } from 'playwright-core';

/** Where focus is, and what shows it. */
export interface FocusStop {
  /** The focused element's data-testid, or its tag when it has none; null when nothing is focused. */
  testid: string | null;
  /** The data-testid of the nearest element around the focused one that has one. */
  within: string | null;
  /** The text of the focused element and of the list item around it, if any. */
  text: string;
  /** The indicator's colour against the background it is drawn on (0 without an indicator). */
  contrast: number;
  /** How the focus is shown, for a failure message. */
  indicator: string;
  /** Whether the focused element is inside an open modal dialog, and that dialog's test id. */
  dialog: string | null;
}

/** Runs in the page: the focused element and the contrast of its focus indicator. */
const PROBE = `(async () => {
  // Focus styles may fade in: measure them once every finite transition and animation has ended.
  const finite = document.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
  const node = document.activeElement;
  if (!node || node === document.body || node === document.documentElement) {
    return { testid: null, within: null, text: '', contrast: 0, indicator: 'nothing focused', dialog: null };
  }
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c);
    if (!m) return null;
    const [r, g, b, a = '1'] = m[1].split(/[ ,\\/]+/).filter(Boolean);
    return [Number(r), Number(g), Number(b), Number(a)];
  };
  const luminance = ([r, g, b]) => {
    const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  // The colour behind an element: its own and its ancestors' background colours, laid over each other.
  const backgroundOf = (start) => {
    const layers = [];
    for (let n = start; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    const dark = matchMedia('(prefers-color-scheme: dark)').matches;
    return layers.reverse().reduce((acc, c) => over(c, acc), dark ? [0, 0, 0, 1] : [255, 255, 255, 1]);
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  // The focused element's indicator, or (for a field inside a frame, as the interests' chips) the ring its
  // frame draws while focus is within it, up to two levels up.
  let color = null;
  let behind = null;
  let indicator = 'none';
  for (let n = node, level = 0; n && level < 3 && !color; n = n.parentElement, level++) {
    const s = getComputedStyle(n);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) {
      color = parse(s.outlineColor);
      behind = backgroundOf(parseFloat(s.outlineOffset) < 0 ? n : n.parentElement);
      indicator = 'outline ' + s.outlineWidth + ' ' + s.outlineColor;
    } else if (s.boxShadow && s.boxShadow !== 'none') {
      // The first ring of the shadow (an outer spread of 1px or more), drawn around the element.
      const ring = /(rgba?\\([^)]+\\))\\s+0px\\s+0px\\s+0px\\s+([\\d.]+)px/.exec(s.boxShadow);
      if (ring && parseFloat(ring[2]) >= 1) {
        color = parse(ring[1]);
        behind = backgroundOf(n.parentElement);
        indicator = 'ring ' + ring[2] + 'px ' + ring[1];
      }
    }
  }
  const contrast = color && behind ? ratio(over(color, behind), behind) : 0;
  const item = node.closest('li');
  const dialog = node.closest('dialog[open]');
  return {
    testid: node.getAttribute('data-testid') ?? node.tagName.toLowerCase(),
    within: node.parentElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? null,
    text: ((node.textContent ?? '') + ' ' + (item ? item.textContent : '')).trim(),
    contrast: Math.round(contrast * 100) / 100,
    indicator,
    dialog: dialog ? dialog.getAttribute('data-testid') : null,
  };
})()`;

/** Where focus is now. */
export function focusStop(page: Page): Promise<FocusStop> {
  return page.evaluate(PROBE) as Promise<FocusStop>;
}

/** Fails unless the focused element shows its focus with an indicator of 3:1 contrast or more. */
export function expectVisibleFocus(stop: FocusStop): void {
  if (stop.testid !== null && stop.contrast < 3) {
    throw new Error(`focus on ${stop.testid} ("${stop.text.slice(0, 40)}") is not visible enough: ${stop.indicator}, contrast ${stop.contrast}:1`);
  }
}

/**
 * Presses Tab (Shift+Tab with `back`) until the element with data-testid `testid`, or a control directly
 * inside it (and, with `text`, that text in it or its list item), has focus; every stop on the way must show its focus. Returns the stops.
 */
export async function tabTo(page: Page, testid: string, { back = false, text, max = 60 }: { back?: boolean; text?: string; max?: number } = {}): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const stop = await focusStop(page);
    stops.push(stop);
    expectVisibleFocus(stop);
    if ((stop.testid === testid || stop.within === testid) && (text === undefined || stop.text.includes(text))) return stops;
  }
  throw new Error(`${testid} not reached in ${max} presses of ${back ? 'Shift+Tab' : 'Tab'}; stops: ${stops.map((s) => s.testid).join(', ')}`);
}

/** Waits (up to 10 s) until the element with data-testid `testid` has focus, and checks that it shows it. */
export async function expectFocusOn(page: Page, testid: string): Promise<void> {
  try {
    await page.waitForFunction(`document.activeElement?.getAttribute('data-testid') === ${JSON.stringify(testid)}`, null, { timeout: 10_000 });
  } catch {
    throw new Error(`focus is on ${(await focusStop(page)).testid}, not ${testid}`);
  }
}
