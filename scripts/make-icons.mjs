// Draws the extension's icons (extension/icons/cf503-{16,32,48,128}.png) from one SVG, in the
// Chromium the browser tests use: a rounded square in the badge's colour with white lettering,
// inside transparent padding as the stores ask (the 128 px icon: 96 px of artwork, 16 px each
// side). Run once after changing the design: `node scripts/make-icons.mjs` (needs the npm
// packages of tests/e2e: `scripts/install-web-tools.sh`). The PNGs are committed.
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(path.join(root, 'tests/e2e/package.json'))('playwright-core');

// Padding and lettering per size: "503" where it can be read, "5" where it cannot.
const SIZES = [
  { size: 16, pad: 1, text: '5', font: 12 },
  { size: 32, pad: 2, text: '5', font: 24 },
  { size: 48, pad: 4, text: '503', font: 17 },
  { size: 128, pad: 16, text: '503', font: 38 },
];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const { size, pad, text, font } of SIZES) {
    const box = size - 2 * pad;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
      <rect x="${pad}" y="${pad}" width="${box}" height="${box}" rx="${Math.max(2, box * 0.2)}" fill="#b24a00"/>
      <text x="${size / 2}" y="${size / 2}" dy="0.36em" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-weight="700" font-size="${font}" fill="#ffffff" letter-spacing="${text.length > 1 ? -0.04 * font : 0}">${text}</text>
    </svg>`;
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}</style>${svg}`);
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await writeFile(path.join(root, `extension/icons/cf503-${size}.png`), png);
    await page.close();
    console.log(`make-icons: extension/icons/cf503-${size}.png`);
  }
} finally {
  await browser.close();
}
