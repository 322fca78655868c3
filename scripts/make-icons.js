// Renders the app icons (web/public/icon-*.png, apple-touch-icon.png) from the SVGs in web/icons/ with the
// headless Chromium the browser tests use. Run it again after changing an SVG and commit the PNGs:
//   node scripts/make-icons.js            (CHROMIUM_PATH overrides /usr/bin/chromium)
// icon.svg: the rounded mark on a transparent ground ("any"). icon-maskable.svg: the mark inside the safe
// zone (the middle 80 %) on a full-bleed square, for launchers that cut their own shape ("maskable").
// The Apple touch icon is the maskable drawing: iOS rounds the corners itself and shows transparency as black.
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const root = path.join(__dirname, '..');
const ICONS = [
  { svg: 'icon.svg', out: 'icon-192.png', size: 192 },
  { svg: 'icon.svg', out: 'icon-512.png', size: 512 },
  { svg: 'icon-maskable.svg', out: 'icon-maskable-512.png', size: 512 },
  { svg: 'icon-maskable.svg', out: 'apple-touch-icon.png', size: 180 },
];

async function run() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--disable-gpu'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    for (const icon of ICONS) {
      const svg = fs.readFileSync(path.join(root, 'web', 'icons', icon.svg), 'utf8');
      await page.setViewportSize({ width: icon.size, height: icon.size });
      const img = `<img alt="" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" width="${icon.size}" height="${icon.size}">`;
      await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}img{display:block}</style>${img}`);
      await page.locator('img').evaluate((el) => el.decode());
      const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: icon.size, height: icon.size } });
      fs.writeFileSync(path.join(root, 'web', 'public', icon.out), png);
      console.log(`${icon.out} ${icon.size}×${icon.size} ${png.length} bytes`);
    }
  } finally {
    await browser.close();
  }
}

run().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
