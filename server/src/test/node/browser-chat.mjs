// Headless Chromium (Debian's /usr/bin/chromium, driven by npm playwright-core) on the chat example's page.
// node browser-chat.mjs
// Events: ready, opened {transport}, posted {text}, state {ids, opens, status}, shot {path}, error {message}.
// Commands: {op: open, url} | {op: post, text} | {op: wait, ids: [...], opens?} (answers `state` once the page shows
// exactly those message ids, in that order, and at least `opens` connection opens) | {op: state} |
// {op: protocol} | {op: screenshot, path} | {op: close}.
import { chromium } from 'playwright-core';
import { emit, onCommand } from './lines.mjs';

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
// the HTTP/2 case serves a self-signed certificate for localhost
const context = await browser.newContext({ ignoreHTTPSErrors: true });
let page = null;

async function state() {
  return page.evaluate(() => ({
    ids: [...document.querySelectorAll('#messages li')].map((li) => li.dataset.id),
    opens: Number(document.getElementById('opens').textContent),
    status: document.getElementById('status').textContent,
  }));
}

onCommand(async (c) => {
  if (c.op === 'open') {
    page = await context.newPage();
    const network = [];
    page.on('pageerror', (e) => emit('error', { message: 'page: ' + e.message }));
    page.on('response', (r) => network.push(r.status() + ' ' + r.url()));
    page.on('requestfailed', (r) => network.push('failed ' + r.url() + ' ' + r.failure()?.errorText));
    await page.goto(c.url);
    try {
      await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('live'),
        null, { timeout: 15000 });
    } catch (e) {
      emit('timeout', { ...(await state()), network });
      return;
    }
    emit('opened', { transport: new URL(c.url).searchParams.get('transport') });
  } else if (c.op === 'post') {
    await page.fill('#text', c.text);
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/messages'));
    await page.click('button');
    const res = await answered;
    emit('posted', { text: c.text, status: res.status() });
  } else if (c.op === 'wait') {
    const want = JSON.stringify(c.ids);
    const opens = c.opens ?? 1;
    try {
      await page.waitForFunction(([w, o]) => {
        const ids = [...document.querySelectorAll('#messages li')].map((li) => li.dataset.id);
        return JSON.stringify(ids) === w && Number(document.getElementById('opens').textContent) >= o
          && document.getElementById('status').textContent.startsWith('live');
      }, [want, opens], { timeout: c.timeoutMs ?? 20000 });
    } catch (e) {
      emit('timeout', await state());
      return;
    }
    emit('state', await state());
  } else if (c.op === 'protocol') {
    // the protocol the page itself came over (h2, http/1.1); the page's EventSource and fetches share its connection
    emit('protocol', { protocol: await page.evaluate(() => performance.getEntriesByType('navigation')[0].nextHopProtocol) });
  } else if (c.op === 'state') {
    emit('state', await state());
  } else if (c.op === 'screenshot') {
    await page.screenshot({ path: c.path, fullPage: true });
    emit('shot', { path: c.path });
  } else if (c.op === 'close') {
    await page.close();
    page = null;
    emit('closed');
  }
});

process.stdin.on('end', () => browser.close().finally(() => process.exit(0)));
emit('ready');
