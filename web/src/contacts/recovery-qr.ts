/** The recovery key as a QR code: an SVG drawn from uqr's module matrix (no HTML strings). */
import { encode } from 'uqr';

/** Light modules around the code, as the QR standard asks, so phone cameras find it. */
const QUIET_ZONE = 4;

/** One SVG path for the dark modules of `matrix` (row-major, true = dark), offset by the quiet zone. */
export function qrPath(matrix: readonly (readonly boolean[])[], margin = QUIET_ZONE): string {
  const parts: string[] = [];
  matrix.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const from = x;
      while (x < row.length && row[x]) x++;
      parts.push(`M${from + margin} ${y + margin}h${x - from}v1h${from - x}z`);
    }
  });
  return parts.join('');
}

/** An <svg> of the QR code of `text`, dark on light whatever the colour scheme. */
export function qrSvg(text: string): SVGSVGElement {
  const { data, size } = encode(text, { ecc: 'M' });
  const ns = 'http://www.w3.org/2000/svg';
  const full = size + QUIET_ZONE * 2;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${full} ${full}`);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const background = document.createElementNS(ns, 'rect');
  background.setAttribute('width', String(full));
  background.setAttribute('height', String(full));
  background.setAttribute('fill', '#fff');
  const modules = document.createElementNS(ns, 'path');
  modules.setAttribute('d', qrPath(data));
  modules.setAttribute('fill', '#000');
  svg.append(background, modules);
  return svg;
}
