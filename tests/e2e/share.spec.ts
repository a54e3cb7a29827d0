import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { test, expect, encodeState } from './fixtures';

/** Reads a PNG's width and height from its header. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test.describe('the Share dialog', () => {
  test('gives the link and a snippet for each place, with a preview at the chosen size', async ({ ring, page }) => {
    await ring.open('#scenario=add-server&step=2');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const link = await page.locator('textarea.share-link').inputValue();
    expect(link).toBe('http://127.0.0.1:4317/#scenario=add-server&step=2');
    await page.getByRole('combobox', { name: 'Frame size' }).selectOption({ label: '800 × 600' });
    await page.getByRole('combobox', { name: 'Theme of the frame' }).selectOption('dark');
    await page.getByRole('combobox', { name: 'How much of the lab the frame shows' }).selectOption('none');
    const frame = await page.locator('textarea.share-iframe').inputValue();
    expect(frame).toBe('<iframe src="http://127.0.0.1:4317/#scenario=add-server&amp;step=2&amp;embed=1&amp;chrome=none&amp;theme=dark&amp;edges=deck" width="800" height="600" style="border:0" title="HashHalo: Add a server: only its share of the keys move" loading="lazy"></iframe>');
    expect(await page.locator('textarea.share-slidev').inputValue()).toBe('---\nlayout: iframe\nurl: http://127.0.0.1:4317/#scenario=add-server&step=2&embed=1&chrome=none&theme=dark&edges=deck\n---\n');
    expect(await page.locator('textarea.share-markdown').inputValue()).toBe('[![HashHalo: Add a server: only its share of the keys move](hashhalo-ring.png)](http://127.0.0.1:4317/#scenario=add-server&step=2&theme=dark)');
    // The preview is the embedded view itself, at that size, scaled to the dialog.
    const preview = page.locator('.share-preview iframe');
    await expect(preview).toHaveAttribute('width', '800');
    await expect(preview).toHaveAttribute('height', '600');
    await expect(page.frameLocator('.share-preview iframe').getByTestId('moved-summary')).toContainText('Adding D moved');
    await expect(page.locator('.share .warning')).toBeHidden();
    // Copy puts the text on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.locator('.snippet').filter({ has: page.locator('textarea.share-iframe') }).getByRole('button', { name: 'Copy' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(frame);
  });

  test('warns when the link is too long to paste safely', async ({ ring, page }) => {
    const pins: [number, number][] = Array.from({ length: 300 }, (_, i) => [i, i * 61_489_146_912_000]);
    const state = encodeState({ vnodes: 300, count: 1000, servers: [{ id: 0, label: 'A', weight: 1, pins }, { id: 1, label: 'B', weight: 1 }] });
    await ring.open(`#${state}`);
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await expect(page.locator('.share .warning')).toBeVisible();
    await expect(page.locator('.share .warning')).toContainText('some chat apps, slide tools and mail cut links past 2,000');
  });

  test('saves the ring as SVG and as PNG at twice its size, and every step as numbered images', async ({ ring, page }, info) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await ring.open('#scenario=add-server&step=2');
    const size = Math.round((await ring.svg.boundingBox())!.width);
    await page.getByRole('button', { name: 'Share', exact: true }).click();

    const svgDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Ring as SVG' }).click();
    const svgFile = info.outputPath('ring.svg');
    await (await svgDownload).saveAs(svgFile);
    const svg = fs.readFileSync(svgFile, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    // Drawn as on screen: every server's arcs, with their colours written on them.
    expect(svg.match(/class="arc"/g)?.length).toBe(4);
    expect(svg).toMatch(/class="arc"[^>]*style="[^"]*stroke:\s*rgb\(/);

    const pngDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Ring as PNG (2×)' }).click();
    const png = await fs.promises.readFile((await (await pngDownload).path())!);
    expect(pngSize(png)).toEqual([size * 2, size * 2]);

    const zipDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Every step as images (zip)' }).click();
    const zip = info.outputPath('steps.zip');
    await (await zipDownload).saveAs(zip);
    // An unzipper reads it: Python's zipfile lists and tests every member.
    const listing = execFileSync('python3', ['-c', `
import sys, zipfile, struct
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for n in z.namelist():
    b = z.read(n)
    print(n, struct.unpack('>II', b[16:24]))
`, zip], { encoding: 'utf8' });
    const lines = listing.trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['step-00.png', 'step-01.png', 'step-02.png', 'step-03.png']);
    // The same size at every step, for slides: 600 units at 2×, the text in a band below.
    for (const l of lines) expect(l).toMatch(/\(1200, \d+\)$/);
    // The player is back where it was.
    await expect(page.getByTestId('player-step')).toHaveText('Step 2 of 3');
  });
});
