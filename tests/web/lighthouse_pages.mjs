// Lighthouse's accessibility and best-practices audits for the browser tests
// (tests/web/lighthouse.py). One Chromium (CHROME_PATH) serves every audit: each line on stdin
// is a JSON request {url, headers, formFactor}; each line on stdout is its answer {scores,
// failed} (or {error}). Lighthouse's own logging goes to stderr; it reports nothing anywhere
// (no error reporting, no network but the page's).

import readline from 'node:readline';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: CHROME_FLAGS,
  logLevel: 'silent',
});

/** The audits that count towards a category's score and did not get full marks. */
function failed(lhr) {
  const out = [];
  for (const [name, category] of Object.entries(lhr.categories)) {
    for (const ref of category.auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        const items = audit.details && audit.details.items ? audit.details.items : [];
        const where = items.slice(0, 5).map((item) => ({
          what: (item.node && item.node.snippet) || item.selector || item.description || '',
          source: typeof item.source === 'string' ? item.source : '',
          url: item.url || (item.sourceLocation && item.sourceLocation.url) || '',
        }));
        out.push({ category: name, id: audit.id, title: audit.title, where });
      }
    }
  }
  return out;
}

async function audit({ url, headers, formFactor }) {
  const flags = {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['accessibility', 'best-practices'],
    extraHeaders: headers || {},
    disableFullPageScreenshot: true,
    ignoreStatusCode: true, // the 404 and 500 pages are pages too
  };
  const config = formFactor === 'desktop' ? desktopConfig : undefined;
  const result = await lighthouse(url, flags, config);
  const lhr = result.lhr;
  if (lhr.runtimeError) return { error: `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` };
  const scores = Object.fromEntries(Object.entries(lhr.categories).map(([k, c]) => [k, c.score]));
  return { scores, failed: failed(lhr), final_url: lhr.finalDisplayedUrl };
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    answer = await audit(JSON.parse(line));
  } catch (err) {
    answer = { error: String(err && err.stack ? err.stack : err) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
await chrome.kill();
