/** The phone-load part of the report: summary rows and section. */
import type { PhoneLoadResult, PhoneLoadRow } from '../scenarios/phone-load';
import { ms, table } from './markdown';
import type { TargetRow } from './report-types';

const VISIT: Record<PhoneLoadRow['visit'], string> = { first: 'first visit', return: 'return visit (service worker)' };

function pair(r: PhoneLoadResult, visit: PhoneLoadRow['visit']): [PhoneLoadRow | undefined, PhoneLoadRow | undefined] {
  return [r.rows.find((x) => x.visit === visit && x.profile === 'phone'), r.rows.find((x) => x.visit === visit && x.profile === 'unthrottled')];
}

export function phoneLoadTargets(r: PhoneLoadResult): TargetRow[] {
  return (['first', 'return'] as const).map((visit) => {
    const [phone, base] = pair(r, visit);
    return {
      scenario: 'phone-load',
      target: `${VISIT[visit]}: interactive ≤ ${r.targetMs[visit] / 1000} s on a phone (CPU 4×, slow 4G)`,
      measured: `${ms(phone?.interactiveMs)} (first render ${ms(phone?.firstRenderMs)}); unthrottled ${ms(base?.interactiveMs)} (first render ${ms(base?.firstRenderMs)})`,
      met: !!phone && phone.interactiveMs <= r.targetMs[visit],
    };
  });
}

export function phoneLoadSection(r: PhoneLoadResult): string[] {
  const p = r.profile;
  return [
    '## phone-load',
    '',
    `Headless Chromium at phone size loads the page from one node (the product's defaults: rules gate on, proof of work for a new identity). ` +
      `Phone profile: CPU ${p.cpuSlowdown}× slower, slow 4G (${p.latencyMs} ms request latency, ${(p.downloadKbps / 1000).toFixed(2)} Mbit/s down, ` +
      `${p.uploadKbps} kbit/s up); the unthrottled rows are the same loads on this machine over loopback, measured in the same run. ` +
      'First render is first-contentful-paint; interactive is when the script has wired the screens and the server\'s greeting arrived ' +
      `(Start searches, or the rules dialog asks). Medians of ${r.runs} run(s). Targets on the phone profile: interactive ≤ ${r.targetMs.first / 1000} s on a first visit, ≤ ${r.targetMs.return / 1000} s on a return visit.`,
    '',
    table(
      ['visit', 'profile', 'first render', 'interactive', 'over the network', 'samples (interactive)'],
      r.rows.map((x) => [VISIT[x.visit], x.profile, ms(x.firstRenderMs), ms(x.interactiveMs), `${x.transferredKiB} KB`, x.samples.map((s) => s.interactiveMs).join(', ')]),
    ),
    '',
  ];
}
