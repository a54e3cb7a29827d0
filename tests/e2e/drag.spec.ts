import { test, expect, inspect } from './fixtures';

test.describe('dragging', () => {
  test('a virtual node dragged with the mouse changes owners exactly as the core says', async ({ ring, page }) => {
    await ring.open();
    const start = await ring.settledUrl();
    const angle = await ring.firstTickAngle('A');
    const from = await ring.ringPoint(angle, 240);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    // Live: during the drag the ring follows, before the pointer is released.
    for (let i = 1; i <= 10; i++) {
      const p = await ring.ringPoint(angle + i * 0.12, 240);
      await page.mouse.move(p.x, p.y);
    }
    await expect(page.locator('svg.ring.dragging')).toHaveCount(1);
    await page.mouse.up();
    const url = await ring.settledUrl(start);

    const report = await ring.expectCountsMatchCore(url);
    expect(report.servers.find((s) => s.label === 'A')!.pins).toBe(1);
    // The node landed where the pointer let go: 1.2 radians clockwise of where it started.
    const pinned = await page.locator('path.pinned[data-server="A"]').getAttribute('d');
    const [px, py] = pinned!.slice(1).split('L')[0].split(' ').map(Number);
    const landed = (Math.atan2(px - 300, -(py - 300)) + 2 * Math.PI) % (2 * Math.PI);
    const wanted = (angle + 1.2) % (2 * Math.PI);
    expect(Math.abs(landed - wanted)).toBeLessThan(0.02);
    // The dragged node is drawn as an explicit position, and the movement is reported.
    await expect(page.locator('path.pinned[data-server="A"]')).toHaveAttribute('d', /^M/);
    await ring.expectSentenceMatchesCore(url, start);

    // Reset to hashed: the counts are the original ones again.
    await ring.serverRow('A').getByRole('button', { name: 'Reset A to hashed positions' }).click();
    const reset = await ring.settledUrl(url);
    expect(inspect(reset).servers.map((s) => s.keys)).toEqual(inspect(start).servers.map((s) => s.keys));
    await ring.expectCountsMatchCore(reset);
  });

  test('a whole server is turned by dragging its handle', async ({ ring, page }) => {
    await ring.open();
    const start = await ring.settledUrl();
    const box = (await ring.handle('B').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    const centre = await ring.screenPoint(300, 300);
    for (let i = 1; i <= 8; i++) {
      await page.mouse.move(centre.x + 200 * Math.sin(i * 0.3), centre.y - 200 * Math.cos(i * 0.3));
    }
    // While it turns, B's arcs are drawn on top of the others' (as they would be without B).
    const lifted = page.locator('path.arc-lifted');
    await expect(lifted).toHaveAttribute('stroke', (await ring.handle('B').getAttribute('fill'))!);
    await expect(lifted).toHaveAttribute('d', /^M.*A/);
    await expect(page.locator('path.arc[data-server="B"]')).toHaveAttribute('d', '');
    await page.mouse.up();
    await expect(lifted).toHaveAttribute('d', '');
    await expect(page.locator('path.arc[data-server="B"]')).toHaveAttribute('d', /^M.*A/);
    const url = await ring.settledUrl(start);
    const report = await ring.expectCountsMatchCore(url);
    expect(report.servers.find((s) => s.label === 'B')!.shift).not.toBe(0);
  });

  test('the keyboard turns servers and moves virtual nodes', async ({ ring, page }) => {
    await ring.open();
    const start = await ring.settledUrl();
    await ring.handle('C').focus();
    const degrees = async () => Number(await ring.handle('C').getAttribute('aria-valuenow'));
    const before = await degrees();
    await page.keyboard.press('Shift+ArrowRight');
    // Clockwise by 15 degrees (wrapping past 360).
    expect(((await degrees()) - before + 360) % 360).toBeCloseTo(15, 0);
    await page.keyboard.press('ArrowLeft');
    expect(((await degrees()) - before + 360) % 360).toBeCloseTo(14.5, 0);
    const turned = await ring.settledUrl(start);
    expect(inspect(turned).servers.find((s) => s.label === 'C')!.shift).not.toBe(0);
    await ring.expectCountsMatchCore(turned);

    // Enter picks C's first virtual node; arrows move it; ] picks the next; R resets it.
    await page.keyboard.press('Enter');
    await expect(ring.tokenHandle).toBeFocused();
    await expect(ring.tokenHandle).toHaveAttribute('data-token', '2:0');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    const moved = await ring.settledUrl(turned);
    expect(inspect(moved).servers.find((s) => s.label === 'C')!.pins).toBe(1);
    await ring.expectCountsMatchCore(moved);
    await page.keyboard.press(']');
    await expect(ring.tokenHandle).toHaveAttribute('data-token', '2:1');
    await page.keyboard.press('[');
    await page.keyboard.press('r');
    const back = await ring.settledUrl(moved);
    expect(inspect(back).servers.find((s) => s.label === 'C')!.pins).toBe(0);
    await page.keyboard.press('Escape');
    await expect(ring.handle('C')).toBeFocused();
  });
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 412, height: 915 } });

  test('a finger drags a server handle, and taps work the controls', async ({ ring, page }) => {
    await ring.open();
    const start = await ring.settledUrl();
    const box = (await ring.handle('A').boundingBox())!;
    const cdp = await page.context().newCDPSession(page);
    const point = (x: number, y: number) => [{ x, y, id: 1, radiusX: 5, radiusY: 5, force: 1 }];
    let x = box.x + box.width / 2;
    let y = box.y + box.height / 2;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(x, y) });
    for (let i = 0; i < 8; i++) {
      x += 6;
      y += 9;
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(x, y) });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    const dragged = await ring.settledUrl(start);
    expect(inspect(dragged).servers.find((s) => s.label === 'A')!.shift).not.toBe(0);
    await ring.expectCountsMatchCore(dragged);

    // A finger on one of C's virtual-node ticks carries it along the ring.
    const angle = await ring.loneTickAngle('C');
    const from = await ring.ringPoint(angle, 240);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(from.x, from.y) });
    for (let i = 1; i <= 6; i++) {
      const p = await ring.ringPoint(angle + i * 0.1, 240);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(p.x, p.y) });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    const pinned = await ring.settledUrl(dragged);
    expect(inspect(pinned).servers.find((s) => s.label === 'C')!.pins).toBe(1);
    await ring.expectCountsMatchCore(pinned);

    // The before/after switch answers taps.
    await page.getByRole('radio', { name: 'Before' }).tap();
    await expect(page.locator('.centre-title')).toContainText('(before)');
    await page.getByRole('radio', { name: 'After' }).tap();
    await expect(page.locator('.centre-title')).not.toContainText('(before)');

    // A finger slides the virtual-node slider to its far end.
    const slider = page.getByLabel('Virtual nodes per server');
    await slider.scrollIntoViewIfNeeded();
    const track = (await slider.boundingBox())!;
    const sy = track.y + track.height / 2;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(track.x + track.width * 0.1, sy) });
    for (let i = 1; i <= 6; i++) {
      const sx = track.x + track.width * (0.1 + 0.15 * i);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(Math.min(sx, track.x + track.width + 20), sy) });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expect(page.getByTestId('vnodes-value')).toHaveText('1,000');
    const slid = await ring.settledUrl(pinned);
    await ring.expectCountsMatchCore(slid);

    await ring.serverRow('B').getByRole('button', { name: 'Fail B' }).tap();
    const failed = await ring.settledUrl(slid);
    expect(inspect(failed).servers.find((s) => s.label === 'B')!.keys).toBe(0);
    await ring.expectCountsMatchCore(failed);
  });
});
