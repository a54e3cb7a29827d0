import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test as base, expect, type Page, type Locator } from '@playwright/test';

/** The `hashhalo` CLI, which computes natively what a share link shows. */
export const CLI = process.env.HASHHALO_CLI ?? path.resolve(process.cwd(), '../target/debug/hashhalo');

export type Report = {
  algorithm: string;
  keys: number;
  vnodes: number;
  servers: { label: string; keys: number; share: number; copies: number; up: boolean; pins: number; shift: number }[];
  notes: string[];
  moved: number | null;
  minimum_fraction: number | null;
  headline: string | null;
  details: string[] | null;
  balance: string[];
  unavailable: string | null;
};

/** A number as the page writes it, with thousands separators ("1,000"). */
export function num(text: string | null): number {
  return Number((text ?? '').replace(/,/g, ''));
}

/** What the core, run natively, says the link shows (and, with `before`, what moved). */
export function inspect(link: string, before?: string): Report {
  const args = ['inspect', link, '--json', ...(before ? ['--before', before] : [])];
  return JSON.parse(execFileSync(CLI, args, { encoding: 'utf8' }));
}

/** The ring page: what a person sees, by role, label and test id. */
export class RingPage {
  readonly svg: Locator;
  readonly arcs: Locator;
  readonly keyPaths: Locator;
  readonly tickPaths: Locator;
  readonly legendRows: Locator;
  readonly summary: Locator;
  readonly moved: Locator;
  readonly tokenHandle: Locator;

  constructor(readonly page: Page) {
    this.svg = page.locator('svg.ring');
    this.arcs = this.svg.locator('path.arc');
    this.keyPaths = this.svg.locator('path.keys');
    this.tickPaths = this.svg.locator('path.ticks');
    this.legendRows = page.getByRole('table', { name: 'Servers' }).locator('tbody tr');
    this.summary = page.getByTestId('summary');
    this.moved = page.getByTestId('moved-summary');
    this.tokenHandle = this.svg.locator('.token-handle');
  }

  /** Opens the app (relative to the project's base URL) and waits for the ring. */
  async open(fragment = '') {
    await this.page.goto(fragment);
    await expect(this.arcs.first()).toBeAttached();
    await expect(this.legendRows.first()).toBeVisible();
  }

  handle(label: string): Locator {
    return this.svg.locator(`.server-handle[data-server="${label}"]`);
  }

  serverRow(label: string): Locator {
    return this.page.locator(`.server-row[data-server="${label}"]`);
  }

  /** Each legend row's server label and key count, in order. */
  async legendCounts(): Promise<Map<string, number>> {
    // One read of the whole table (a row at a time is a round trip per row: seconds for 64).
    const rows = await this.legendRows.evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-server') ?? '', tr.querySelector('[data-testid="count"]')?.textContent ?? null] as const),
    );
    return new Map(rows.map(([label, count]) => [label, num(count)]));
  }

  /**
   * The address once it has caught up with the lab. The app writes it 250 ms after the last
   * change and marks the root element `data-link-pending` until it has; an address with no
   * write pending, unchanged for 150 ms (no change still on its way to the page), is settled.
   * The address and the mark are read together in the page: `page.url()` is Playwright's copy,
   * told of each `history.replaceState` by a message that can arrive after the mark is gone.
   */
  async settledUrl(previous?: string): Promise<string> {
    const read = () =>
      this.page.evaluate(() => ({ now: location.href, pending: document.documentElement.hasAttribute('data-link-pending') }));
    if (previous !== undefined) await expect.poll(async () => (await read()).now).not.toBe(previous);
    let last = '';
    let since = Date.now();
    await expect
      .poll(
        async () => {
          const { now, pending } = await read();
          if (now !== last || pending) {
            last = now;
            since = Date.now();
          }
          return /#[12]\./.test(now) && !pending && Date.now() - since >= 150;
        },
        { intervals: [50] },
      )
      .toBe(true);
    return last;
  }

  /**
   * The legend agrees, server by server, with what the core computes natively for the link:
   * at once or within the expect timeout (the address and the legend are written by separate
   * effects, and a loaded machine can show the one a moment before the other).
   */
  async expectCountsMatchCore(link: string) {
    const report = inspect(link);
    const want = new Map(report.servers.map((s) => [s.label, s.keys]));
    await expect.poll(() => this.legendCounts()).toEqual(want);
    return report;
  }

  /**
   * The movement panel says, word for word, what `hashhalo inspect --before` says of the same
   * two links: the headline and each sentence after it.
   */
  async expectSentenceMatchesCore(after: string, before: string) {
    const core = inspect(after, before);
    await expect(this.moved).toHaveText(core.headline!);
    await expect(this.page.getByTestId('moved-details').locator('p')).toHaveText(core.details!);
    return core;
  }

  /** Screen coordinates of the SVG user-space point (x, y). */
  async screenPoint(x: number, y: number): Promise<{ x: number; y: number }> {
    return this.svg.evaluate(
      (svg, [x, y]) => {
        const m = (svg as SVGSVGElement).getScreenCTM()!;
        return { x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f };
      },
      [x, y],
    );
  }

  /** Screen coordinates of the ring at `angle` radians (clockwise from 12 o'clock), radius `r`. */
  async ringPoint(angle: number, r: number) {
    return this.screenPoint(300 + r * Math.sin(angle), 300 - r * Math.cos(angle));
  }

  /** The angle of the hashed virtual-node tick of `label` farthest from any other tick. */
  async loneTickAngle(label: string): Promise<number> {
    const angles = async (selector: string) =>
      (await this.svg.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? '')))
        .flatMap((d) => [...d.matchAll(/M([-\d.]+) ([-\d.]+)L/g)])
        .map((m) => (Math.atan2(Number(m[1]) - 300, -(Number(m[2]) - 300)) + 2 * Math.PI) % (2 * Math.PI));
    const mine = await angles(`path.ticks[data-server="${label}"]`);
    const others = await angles(`path.ticks:not([data-server="${label}"]), path.pinned`);
    const gap = (a: number) =>
      Math.min(...[...others, ...mine.filter((m) => m !== a)].map((o) => Math.min(Math.abs(a - o), 2 * Math.PI - Math.abs(a - o))));
    return mine.reduce((best, a) => (gap(a) > gap(best) ? a : best));
  }

  /** The angle of the first hashed virtual-node tick of `label`. */
  async firstTickAngle(label: string): Promise<number> {
    const d = await this.svg.locator(`path.ticks[data-server="${label}"]`).getAttribute('d');
    const [x, y] = d!.slice(1).split('L')[0].split(' ').map(Number);
    return (Math.atan2(x - 300, -(y - 300)) + 2 * Math.PI) % (2 * Math.PI);
  }
}

type Fixtures = { consoleGuard: void; ring: RingPage; allowedProblems: RegExp | null };

/**
 * Every test fails on any console error or warning, uncaught exception (a Rust panic surfaces
 * as one), or failed request: a favicon 404 counts (a frame's load cancelled because the frame was
 * sent elsewhere is not a failure). A test that breaks something on purpose names what it
 * expects to see in `allowedProblems` (one pattern, with `test.use`); everything else still counts.
 */
export const test = base.extend<Fixtures>({
  allowedProblems: [null, { option: true }],
  consoleGuard: [
    async ({ page, allowedProblems }, use) => {
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
      });
      page.on('requestfailed', (r) => {
        // A frame whose address changed while it loaded (the Share dialog's preview, as its
        // choices change) cancels the old load: the browser's doing, not a failure. The
        // page's own requests never get this pass.
        const superseded = r.failure()?.errorText === 'net::ERR_ABORTED' && r.frame() !== page.mainFrame();
        if (!superseded) problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
      });
      await use();
      const unexpected = problems.filter((p) => !allowedProblems?.test(p));
      expect(unexpected, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
  ring: async ({ page }, use) => {
    await use(new RingPage(page));
  },
});

/** A v1 share-link state, written as the core's `LabState::encode` writes it (for hostile links). */
export function encodeState(s: {
  algorithm?: number; hash?: number; vnodes: number; table?: number; probes?: number; c?: number;
  anchor?: number; kind?: number; count: number; seed?: number; replicas?: number;
  servers: { id: number; label: string; weight: number; down?: boolean; pins?: [number, bigint | number][] }[];
}): string {
  const out: number[] = [];
  const put = (v: number | bigint) => {
    let n = BigInt(v);
    do {
      const byte = Number(n & 0x7fn);
      n >>= 7n;
      out.push(n ? byte | 0x80 : byte);
    } while (n);
  };
  [s.algorithm ?? 1, s.hash ?? 0, s.vnodes, s.table ?? 65537, s.probes ?? 21, s.c ?? 1250, s.anchor ?? 64,
    s.kind ?? 0, s.count, s.seed ?? 1, s.replicas ?? 1, s.servers.length].forEach(put);
  for (const srv of s.servers) {
    const label = Buffer.from(srv.label, 'utf8');
    put(srv.id); put(label.length); out.push(...label); put(srv.weight); put(srv.down ? 1 : 0); put(0);
    put(srv.pins?.length ?? 0);
    for (const [index, position] of srv.pins ?? []) {
      put(index);
      put(position);
    }
  }
  return '1.' + Buffer.from(out).toString('base64url');
}

export { expect };

/** The wasm files `page` (and its frames) fetch from now on, by file name, in order. */
export function wasmFetches(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    if (name.endsWith('.wasm')) names.push(name);
  });
  return names;
}

/** Records every long task (a main-thread task over 50 ms) from the page's start. */
export async function watchLongTasks(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The long tasks that started after `since` (the page's clock, ms). */
export async function longTasksSince(page: Page, since: number) {
  return page.evaluate(
    (since) => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter((t) => t.start >= since),
    since,
  );
}
