// The built site's files by their logical names, whatever they are served as: with
// build-web/site/manifest.json ({"app.wasm": "app.1a2b3c4d.wasm", ...}) the served names
// come from it, without it they are today's fixed names.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

// {logical: served} for every file the page may load, index.html included.
export function siteFiles(site) {
  const manifestPath = path.join(site, 'manifest.json');
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    return { manifest: true, files: { 'index.html': 'index.html', ...m } };
  }
  const files = { 'index.html': 'index.html', 'app.js': 'app.js', 'app.wasm': 'app.wasm' };
  const js = path.join(site, 'js');
  if (existsSync(js)) for (const f of readdirSync(js)) if (f.endsWith('.js')) files['js/' + f] = 'js/' + f;
  if (existsSync(path.join(site, 'fonts/ui.ttf'))) files['fonts/ui.ttf'] = 'fonts/ui.ttf';
  return { manifest: false, files };
}

const size = (f) => (existsSync(f) ? statSync(f).size : null);

// Raw, gzip and brotli sizes of one served file (null where that twin does not exist).
export function fileSizes(site, served) {
  const f = path.join(site, served);
  return { raw: size(f), gz: size(f + '.gz'), br: size(f + '.br') };
}

// What the page needs before its first frame: everything but fonts and source maps.
export const beforeFirstFrame = (logical) => !logical.startsWith('fonts/') && !logical.endsWith('.map') &&
  /\.(html|js|mjs|wasm|css)$/.test(logical);
