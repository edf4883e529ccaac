#!/usr/bin/env node
// Renders assets/icon.svg to assets/icon.png (512×512) with sharp: `node assets/render-icon.mjs`.
import sharp from 'sharp';

const svg = new URL('./icon.svg', import.meta.url);
const png = new URL('./icon.png', import.meta.url);
const info = await sharp(svg.pathname, { density: 72 }).resize(512, 512).png({ compressionLevel: 9 }).toFile(png.pathname);
console.log(`assets/icon.png ${info.width}×${info.height}, ${info.size} bytes`);
