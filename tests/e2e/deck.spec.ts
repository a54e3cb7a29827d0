import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { test, expect, wasmFetches } from './fixtures';
import type { Page, FrameLocator } from '@playwright/test';

/** reveal.js from npm, as a speaker's deck would load it. */
const REVEAL = path.resolve(process.cwd(), 'node_modules/reveal.js/dist');
const DECK_PORT = 4319;

/**
 * Serves a reveal.js deck on 127.0.0.1: a title slide, `slide` (HTML from the Share dialog),
 * and a closing slide. The deck loads reveal.js's own files; the HashHalo frame loads the
 * release build from the test server.
 */
function deck(slide: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Deck</title>
<link rel="stylesheet" href="/reveal/reset.css"><link rel="stylesheet" href="/reveal/reveal.css">
<link rel="stylesheet" href="/reveal/theme/black.css">
<script>
  // Before the frame can load: it may be ready while reveal.js is still being fetched.
  window.events = [];
  addEventListener('message', (e) => { if (e.data && e.data.hashhalo === 1) window.events.push(e.data); });
</script></head><body>
<div class="reveal"><div class="slides">
<section><h1>Consistent hashing</h1></section>
${slide.replace(/<!--[\s\S]*?-->/g, '').split('<script>')[0]}
<section><h2>Questions?</h2></section>
</div></div>
<script src="/reveal/reveal.js"></script>
<script>
  Reveal.initialize({ hash: true, transition: 'none' });
</script>
${slide.includes('<script>') ? '<script>' + slide.split('<script>')[1] : ''}
</body></html>`;
}

let server: http.Server;
let page_html = '';

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://127.0.0.1');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page_html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = path.join(REVEAL, url.pathname.replace(/^\/reveal\//, ''));
    if (!file.startsWith(REVEAL) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.css') ? 'text/css' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(DECK_PORT, '127.0.0.1', ok));
});

test.afterAll(async () => {
  await new Promise((ok) => server.close(ok));
});

/** The slide the Share dialog writes for the page's scenario, as a speaker copies it. */
async function revealSnippet(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const text = await page.locator('textarea.share-reveal').inputValue();
  await page.getByRole('button', { name: 'Close' }).click();
  return text;
}

/** The script the Share dialog gives a reveal.js deck, once per deck. */
async function revealScript(page: Page): Promise<string> {
  await page.goto('http://127.0.0.1:4317/#scenario=weights');
  const slide = await revealSnippet(page);
  return '<script>' + slide.split('<script>')[1];
}

async function present(page: Page, slide: string) {
  page_html = deck(slide);
  await page.goto(`http://127.0.0.1:${DECK_PORT}/`);
  await page.waitForFunction(() => (window as any).Reveal?.isReady());
}

const slideIndex = (page: Page) => page.evaluate(() => (window as any).Reveal.getIndices().h as number);

async function stepOf(frame: FrameLocator) {
  return frame.getByTestId('player-step').textContent();
}

test.describe('inside a reveal.js deck', () => {
  test('a clicker walks into the slide, through the add-server scenario and on; arrows drive the deck; commands and events', async ({ ring, page }) => {
    await ring.open('#scenario=add-server&step=0');
    const slide = await revealSnippet(page);
    expect(slide).toContain('<iframe data-hashhalo src="http://127.0.0.1:4317/#scenario=add-server&amp;step=0&amp;embed=1&amp;edges=deck"');
    const fetched = wasmFetches(page);
    await present(page, slide);
    const frame = page.frameLocator('iframe[data-hashhalo]');
    expect(await slideIndex(page)).toBe(0);

    // The presenter's clicker: PageDown into the slide, three steps, then on to the next slide.
    await page.keyboard.press('PageDown');
    expect(await slideIndex(page)).toBe(1);
    await expect(frame.getByTestId('player-step')).toHaveText('Start · 3 steps');
    // The frame said it was ready, and the height it would like at its width (16:9).
    const first = await page.evaluate(() => (window as any).events.map((e: any) => [e.event, e.height ?? null]));
    expect(first).toContainEqual(['ready', null]);
    const width = await page.locator('iframe[data-hashhalo]').evaluate((f) => (f as HTMLIFrameElement).clientWidth);
    expect(first).toContainEqual(['height', Math.ceil((width * 9) / 16)]);
    for (const k of [1, 2, 3]) {
      await page.keyboard.press('PageDown');
      await expect(frame.getByTestId('player-step')).toHaveText(`Step ${k} of 3`);
      expect(await slideIndex(page)).toBe(1);
    }
    await expect(frame.getByTestId('moved-summary')).toContainText('Removing D moved');
    await page.keyboard.press('PageDown');
    expect(await slideIndex(page)).toBe(2);
    // The iframe never took the focus: the deck's own keys work. Left comes back to the slide,
    // at the step its fragments reach.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
    await page.keyboard.press('ArrowLeft');
    expect(await slideIndex(page)).toBe(1);
    await expect(frame.getByTestId('player-step')).toHaveText('Step 3 of 3');
    await page.keyboard.press('ArrowLeft');
    await expect(frame.getByTestId('player-step')).toHaveText('Step 2 of 3');

    // Commands in, events out: the deck's page posts to the frame and hears back.
    await page.evaluate(() => {
      (window as any).events.length = 0;
      const f = document.querySelector<HTMLIFrameElement>('iframe[data-hashhalo]')!;
      f.contentWindow!.postMessage({ hashhalo: 1, command: 'goto', step: 1 }, '*');
    });
    await expect(frame.getByTestId('player-step')).toHaveText('Step 1 of 3');
    await expect.poll(() => page.evaluate(() => (window as any).events.filter((e: any) => e.event === 'step').map((e: any) => e.step))).toContain(1);
    await page.evaluate(() => {
      const f = document.querySelector<HTMLIFrameElement>('iframe[data-hashhalo]')!;
      f.contentWindow!.postMessage(JSON.stringify({ hashhalo: 1, command: 'edit', edit: { edit: 'fail-server', server: 'B' } }), '*');
      f.contentWindow!.postMessage({ hashhalo: 2, command: 'next' }, '*');
      f.contentWindow!.postMessage('nonsense', '*');
    });
    await expect(frame.getByTestId('moved-summary')).toContainText('Failing B moved');
    // The message of another namespace and the stray string were ignored: still step 1.
    await expect(frame.getByTestId('player-step')).toHaveText('Step 1 of 3');
    await expect
      .poll(() => page.evaluate(() => (window as any).events.filter((e: any) => e.event === 'state').map((e: any) => e.headline)))
      .toContainEqual(expect.stringContaining('Failing B moved'));
    await expect(frame.locator('.player-changed')).toBeVisible();
    // A bad edit is reported, and changes nothing.
    await page.evaluate(() => {
      const f = document.querySelector<HTMLIFrameElement>('iframe[data-hashhalo]')!;
      f.contentWindow!.postMessage({ hashhalo: 1, command: 'edit', edit: { edit: 'fail-server', server: 'Q' } }, '*');
    });
    await expect
      .poll(() => page.evaluate(() => (window as any).events.filter((e: any) => e.event === 'error').map((e: any) => e.message)))
      .toContainEqual(expect.stringContaining('"Q"'));
    // Two edits in a row: the second is read against the lab the first made.
    await page.evaluate(() => {
      const f = document.querySelector<HTMLIFrameElement>('iframe[data-hashhalo]')!;
      f.contentWindow!.postMessage({ hashhalo: 1, command: 'edit', edit: { edit: 'add-server', label: 'E' } }, '*');
      f.contentWindow!.postMessage({ hashhalo: 1, command: 'edit', edit: { edit: 'fail-server', server: 'E' } }, '*');
    });
    await expect(frame.getByTestId('moved-summary')).toContainText('Failing E moved');
    // The code that makes commands (fetched after the first view, in a frame) and the
    // worker's client (on the first edit) each came once.
    expect(fetched.filter((n) => n === 'split_deck_commands.wasm')).toHaveLength(1);
    expect(fetched.filter((n) => n === 'split_worker_client.wasm')).toHaveLength(1);
    expect(fetched.filter((n) => n === 'hashhalo-worker_bg.wasm')).toHaveLength(1);
  });

  test('with the fragments driving it, a focused frame hands the clicker to the deck, and a reloaded deck shows its step', async ({ ring, page }) => {
    await ring.open('#scenario=add-server&step=0');
    const slide = await revealSnippet(page);
    await present(page, slide);
    const frame = page.frameLocator('iframe[data-hashhalo]');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await expect(frame.getByTestId('player-step')).toHaveText('Step 1 of 3');
    // The presenter clicks into the frame: the clicker still walks the deck's fragments, and
    // the frame follows them, never ahead of them.
    await frame.locator('.stage-body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('PageDown');
    await expect(frame.getByTestId('player-step')).toHaveText('Step 2 of 3');
    expect(await page.evaluate(() => (window as any).Reveal.getIndices().f)).toBe(1);
    await page.keyboard.press('PageUp');
    await expect(frame.getByTestId('player-step')).toHaveText('Step 1 of 3');
    expect(await page.evaluate(() => (window as any).Reveal.getIndices().f)).toBe(0);
    // Reloaded on the slide at its second fragment, the deck shows step 2 once the frame is up.
    // A new document: reveal.js writes its address a moment after each step, so going to the
    // same address with only the fragment changed could be no navigation at all.
    await page.goto('about:blank');
    await page.goto(`http://127.0.0.1:${DECK_PORT}/#/1/0/1`);
    await page.waitForFunction(() => (window as any).Reveal?.isReady());
    await expect(frame.getByTestId('player-step')).toHaveText('Step 2 of 3');
  });

  test('with the frame focused, it steps on its own keys and hands the deck the keys it does not use', async ({ page }) => {
    const script = await revealScript(page);
    await present(page, `<section><iframe id="f" data-hashhalo src="http://127.0.0.1:4317/#scenario=weights&step=0&embed=1&edges=deck" width="960" height="540" style="border:0" title="HashHalo"></iframe></section>${script}`);
    await page.keyboard.press('PageDown');
    expect(await slideIndex(page)).toBe(1);
    const frame = page.frameLocator('#f');
    await expect(frame.getByTestId('player-step')).toHaveText('Start · 3 steps');
    // The presenter clicks into the frame: now it has the keys.
    await frame.locator('.stage-body').click({ position: { x: 5, y: 5 } });
    for (const k of [1, 2, 3]) {
      await page.keyboard.press('PageDown');
      await expect(frame.getByTestId('player-step')).toHaveText(`Step ${k} of 3`);
    }
    expect(await slideIndex(page)).toBe(1);
    // Past the last step, the clicker moves the deck on (edges=deck).
    await page.keyboard.press('PageDown');
    await expect.poll(() => slideIndex(page)).toBe(2);
  });

  test('autoplay pauses while reveal.js says the slide is not shown, and goes on when it is again', async ({ page }) => {
    const script = await revealScript(page);
    await present(page, `<section><iframe id="f" data-hashhalo src="http://127.0.0.1:4317/#scenario=weights&step=0&embed=1&autoplay=1" width="960" height="540" style="border:0" title="HashHalo"></iframe></section>${script}`);
    const frame = page.frameLocator('#f');
    // On the title slide, the frame is out of view: it waits.
    await expect(frame.getByTestId('player-step')).toHaveText('Start · 3 steps');
    await page.waitForTimeout(4_800);
    await expect(frame.getByTestId('player-step')).toHaveText('Start · 3 steps');
    await page.keyboard.press('PageDown');
    await expect(frame.getByTestId('player-step')).toHaveText('Step 1 of 3', { timeout: 6_000 });
    // Off the slide (reveal.js posts slide:stop), it pauses.
    await page.keyboard.press('PageDown');
    expect(await slideIndex(page)).toBe(2);
    await page.waitForTimeout(4_800);
    await expect(frame.getByTestId('player-step')).toHaveText('Step 1 of 3');
    await page.keyboard.press('ArrowLeft');
    await expect(frame.getByTestId('player-step')).toHaveText('Step 2 of 3', { timeout: 6_000 });
  });
});

test('a speaker records three steps, copies the reveal.js slide from Share, and presents it with a clicker', async ({ ring, page }) => {
  await ring.open();
  await page.getByRole('button', { name: 'Record' }).click();
  await page.getByRole('textbox', { name: 'New server name' }).fill('D');
  await page.getByRole('button', { name: 'Add server' }).click();
  await page.getByRole('button', { name: 'Fail B' }).click();
  await page.getByRole('button', { name: 'Restore B' }).click();
  await page.getByRole('button', { name: 'Stop and play' }).click();
  await expect(page.getByTestId('player-step')).toHaveText('Start · 3 steps');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(page.locator('.share-preview iframe')).toBeVisible();
  await expect(page.getByText(/This link is .* characters long/)).toBeHidden();
  const slide = await page.locator('textarea.share-reveal').inputValue();
  await page.getByRole('button', { name: 'Close' }).click();
  await present(page, slide);
  const frame = page.frameLocator('iframe[data-hashhalo]');
  await page.keyboard.press('PageDown');
  await expect(frame.getByTestId('player-step')).toHaveText('Start · 3 steps');
  const said = [];
  for (const k of [1, 2, 3]) {
    await page.keyboard.press('PageDown');
    await expect(frame.getByTestId('player-step')).toHaveText(`Step ${k} of 3`);
    said.push(await frame.getByTestId('player-caption').textContent());
  }
  expect(said).toEqual(['Add server D.', 'Fail B.', 'Bring B back.']);
  await page.keyboard.press('PageDown');
  expect(await slideIndex(page)).toBe(2);
});
