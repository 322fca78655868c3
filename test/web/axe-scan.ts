/**
 * An axe-core scan of a page for the WCAG 2.1 A and AA rules, in every look the
 * page is used in: a desktop window and a phone, each in the light and the dark
 * colour scheme. The page is resized and its scheme emulated in place, so one
 * state of a screen (a chat with messages, an open dialog) is set up once and
 * checked four times. Violations come back one per element and look, and are
 * printed one per element with the looks it was found in.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The two screen sizes: a laptop window and a small phone. */
export const SCAN_SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 360, height: 740 },
} as const;

export type ScanSize = keyof typeof SCAN_SIZES;
const SCHEMES = ['light', 'dark'] as const;

/** Waits two frames, so what the page does on a resize or a scheme change (media query listeners) has run. */
async function settle(page: Page): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/** One violating element in one look: `what` is `rule (impact): help — selector: what is wrong`. */
export interface Finding {
  look: string;
  what: string;
}

/**
 * Scans `page` (showing `screen`) at each size in `sizes`, light and dark, and returns every violating
 * element. The page is left at the last size and the light scheme.
 */
export async function scan(page: Page, screen: string, sizes: readonly ScanSize[] = ['desktop', 'phone']): Promise<Finding[]> {
  const findings: Finding[] = [];
  // The pointer rests in the corner, so no control is scanned in its hover colours by chance of where the last click was.
  await page.mouse.move(0, 0);
  for (const size of sizes) {
    await page.setViewportSize(SCAN_SIZES[size]);
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await settle(page);
      const { violations } = await new AxeBuilder({ page }).withTags(WCAG_AA_TAGS).analyze();
      for (const violation of violations) {
        for (const node of violation.nodes) {
          const why = (node.failureSummary ?? '').replace(/\s*\n\s*/g, ' ');
          findings.push({ look: `${screen} · ${size} · ${scheme}`, what: `${violation.id} (${violation.impact}): ${violation.help} — ${node.target.join(' ')}: ${why}` });
        }
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return findings;
}

/** Fails when there are findings, listing each violating element once with the looks it was found in. */
export function expectNoViolations(findings: Finding[]): void {
  if (findings.length === 0) return;
  const looks = new Map<string, string[]>();
  for (const { look, what } of findings) looks.set(what, [...(looks.get(what) ?? []), look]);
  const lines = [...looks].map(([what, where]) => `- ${what}\n    in: ${where.join('; ')}`);
  throw new Error(`${looks.size} WCAG 2.1 AA violation(s) in ${findings.length} scans of elements:\n${lines.join('\n')}`);
}
