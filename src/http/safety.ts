/**
 * The public side of the safety gate: the rules at /rules (an HTML page, or
 * JSON for `Accept: application/json`; in the language of `?lang=`, else of
 * Accept-Language, else English) and a proof-of-work challenge at
 * GET /api/challenge.
 */
import { Router } from 'express';
import type { Config } from '../config';
import type { Clock } from '../clock';
import type { ProofOfWork } from '../moderation/proof-of-work';
import type { ChallengeOffResponse, ChallengeResponse, RulesResponse } from '../protocol';
import { rulesIn, type Rules, type RulesBlock, type RulesText } from '../moderation/rules';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Languages written right to left. */
const RTL = new Set(['ar', 'fa', 'he', 'ur']);

/** The rules page's own line under the text, in each language the rules are written in (English otherwise). */
const FOOTER: Readonly<Record<string, (minAge: number, version: string) => string>> = {
  en: (age, version) => `Minimum age: ${age}. Rules version ${version}.`,
  es: (age, version) => `Edad mínima: ${age}. Versión de las normas ${version}.`,
  de: (age, version) => `Mindestalter: ${age}. Regelversion ${version}.`,
  pt: (age, version) => `Idade mínima: ${age}. Versão das regras ${version}.`,
  hi: (age, version) => `न्यूनतम उम्र: ${age}। नियमों का संस्करण ${version}।`,
  ar: (age, version) => `الحد الأدنى للعمر: ${age}. إصدار القواعد ${version}.`,
};

/** The rules as a small standalone page (no script), titled by the rules' first heading. */
export function rulesHtml(rules: RulesText, minAge: number): string {
  const parts: string[] = [];
  let list = false;
  const block = (b: RulesBlock) => {
    if (b.kind !== 'item' && list) {
      parts.push('</ul>');
      list = false;
    }
    if (b.kind === 'heading') parts.push(`<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`);
    else if (b.kind === 'paragraph') parts.push(`<p>${escapeHtml(b.text)}</p>`);
    else {
      if (!list) parts.push('<ul>');
      list = true;
      parts.push(`<li>${escapeHtml(b.text)}</li>`);
    }
  };
  rules.blocks.forEach(block);
  if (list) parts.push('</ul>');
  return `<!doctype html>
<html lang="${escapeHtml(rules.language)}" dir="${RTL.has(rules.language.split('-')[0]!) ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(rules.blocks.find((b) => b.kind === 'heading')?.text ?? 'parley · rules')}</title><meta name="color-scheme" content="light dark">
<style>body{font:16px/1.55 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:1.6rem}</style>
</head><body><main>
${parts.join('\n')}
<p><small>${escapeHtml((FOOTER[rules.language.split('-')[0]!] ?? FOOTER.en!)(minAge, rules.version))}</small></p>
</main></body></html>`;
}

export interface SafetyRoutesOptions {
  config: Config;
  rules: Rules;
  pow: ProofOfWork;
  clock: Clock;
}

export function safetyRouter({ config, rules, pow, clock }: SafetyRoutesOptions): Router {
  const router = Router();
  const pages = new Map(
    rules.texts.map((text) => {
      const json: RulesResponse = { language: text.language, version: text.version, minAge: config.minAge, blocks: text.blocks };
      return [text.language, { json, html: rulesHtml(text, config.minAge) }];
    }),
  );
  const languages = rules.texts.map((text) => text.language);

  router.get('/rules', (req, res) => {
    res.vary('Accept').vary('Accept-Language');
    const asked = typeof req.query.lang === 'string' ? req.query.lang : req.acceptsLanguages(languages) || undefined;
    const page = pages.get(rulesIn(rules, asked).language)!;
    res.set('Content-Language', page.json.language);
    if (req.accepts(['html', 'json']) === 'json') res.json(page.json);
    else res.type('html').send(page.html);
  });

  router.get('/api/challenge', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!pow.enabled) {
      res.status(404).json({ error: 'Proof of work is off on this server (POW_DIFFICULTY=0).' } satisfies ChallengeOffResponse);
      return;
    }
    res.json((await pow.challenge(clock.now())) satisfies ChallengeResponse);
  });
  return router;
}
