import { test as base, expect, type Page, type Locator } from '@playwright/test';

/** The ring page: what a person sees, by role and test id rather than by layout. */
export class RingPage {
  readonly svg: Locator;
  readonly arcs: Locator;
  readonly keyPaths: Locator;
  readonly tickPaths: Locator;
  readonly legendRows: Locator;
  readonly summary: Locator;

  constructor(readonly page: Page) {
    this.svg = page.locator('svg.ring');
    this.arcs = this.svg.locator('path.arc');
    this.keyPaths = this.svg.locator('path.keys');
    this.tickPaths = this.svg.locator('path.ticks');
    this.legendRows = page.getByRole('list', { name: 'Servers' }).locator('li');
    this.summary = page.getByTestId('summary');
  }

  /** Opens the app (relative to the project's base URL) and waits for the ring. */
  async open(path = '') {
    await this.page.goto(path);
    await expect(this.arcs.first()).toBeVisible();
  }

  /** Each legend row's server label and key count. */
  async legendCounts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const row of await this.legendRows.all()) {
      const label = await row.getAttribute('data-server');
      const count = Number(await row.getByTestId('count').textContent());
      counts.set(label ?? '', count);
    }
    return counts;
  }
}

type Fixtures = { consoleGuard: void; ring: RingPage };

/**
 * Every test fails on any console error, uncaught exception (a Rust panic surfaces as one),
 * or failed request: a favicon 404 counts.
 */
export const test = base.extend<Fixtures>({
  consoleGuard: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
      });
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      await use();
      expect(problems, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
  ring: async ({ page }, use) => {
    await use(new RingPage(page));
  },
});

export { expect };
