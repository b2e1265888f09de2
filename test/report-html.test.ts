import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

/** Debian's chromium (apt-get install -y chromium); Playwright never downloads a browser of its own here. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let scratch: string;
let html: string;
let report: {
  results: { workload: string; monthlyCostUsd: number | null }[];
  workloads: { id: string }[];
};
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
  scratch = mkdtempSync(join(tmpdir(), 'migrate-html-'));
  const out = join(scratch, 'out');
  const result = await runCli([
    'run',
    'examples/k8s',
    '--out',
    out,
    '--traffic',
    'examples/traces/azure-llm-code-first-20min.csv',
    '--service-ms',
    'lognormal:p50=200,p99=2000',
    '--window',
    '13m..16m',
    '--jobs',
    '1',
    '-f',
    'html,json',
    '--fail-on',
    'timeouts > 0',
  ]);
  expect(result.code, result.stderr).toBe(1);
  html = readFileSync(join(out, 'report.html'), 'utf8');
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  // A fresh profile every run: nothing cached, nothing synced.
  context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  page = await context.newPage();
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(pathToFileURL(join(out, 'report.html')).href, { waitUntil: 'load' });
});

afterAll(async () => {
  await context?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the HTML report, as a file', () => {
  it('embeds exactly the JSON report as its data', () => {
    const data = /<script id="migrate-report-data" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(data!.replace(/\\u003c/g, '<'))).toEqual(report);
  });

  it('has one summary row per workload × target and the charts of every workload, without warnings', () => {
    expect(html.match(/<tr data-workload=/g)).toHaveLength(report.results.length);
    for (const [index, workload] of report.workloads.entries()) {
      const section = new RegExp(
        `<section class="workload" id="w-${index}" data-workload="${workload.id}">([\\s\\S]*?)</section>`,
      ).exec(html)![1]!;
      const charts = [...section.matchAll(/data-chart="([a-z-]+)"/g)].map((match) => match[1]);
      expect(charts.slice(0, 3)).toEqual(['timeline', 'latency', 'cold-starts']);
      expect(charts).toContain('cost');
      if (workload.id === 'ml/Deployment/llm-chat') expect(charts).toContain('gpu');
    }
    expect(html).not.toContain('chart-warning');
  });

  it('is self-contained: a CSP that forbids fetching, and no external src or href', () => {
    expect(html).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`,
    );
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain('@media (prefers-color-scheme: dark)');
  });
});

describe('the HTML report in headless Chromium', () => {
  it('loads with no console errors and no request but the page itself', () => {
    expect(errors).toEqual([]);
    expect(requests).toEqual([page.url()]);
  });

  it('renders every chart as SVG with its data points', async () => {
    const charts = await page.$$eval('figure.chart', (figures) =>
      figures.map((figure) => {
        const svg = figure.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        const paths = (selector: string) =>
          [...figure.querySelectorAll(`${selector} path`)].filter(
            (path) => (path.getAttribute('d') ?? '').length > 10,
          ).length;
        return {
          chart: (figure as HTMLElement).dataset.chart,
          width: box?.width ?? 0,
          marks: paths('.mark-line') + paths('.mark-rect') + paths('.mark-area'),
        };
      }),
    );
    expect(charts.length).toBeGreaterThanOrEqual(report.workloads.length * 4);
    for (const chart of charts) {
      expect(chart.width, chart.chart).toBeGreaterThan(200);
      expect(chart.marks, chart.chart).toBeGreaterThan(0);
    }
    const timeline = await page.$$eval(
      'figure[data-chart="timeline"] .mark-line path',
      (paths) => paths.length,
    );
    expect(timeline).toBeGreaterThanOrEqual(report.workloads.length * 2);
  });

  it('sorts a table by a column when its header is clicked', async () => {
    const costs = () =>
      page.$$eval('#summary tbody tr', (rows) =>
        rows.map((row) => (row as HTMLTableRowElement).cells[9]!.dataset.value ?? ''),
      );
    await page.click('#summary thead th:nth-child(10)');
    const ascending = (await costs()).filter(Boolean).map(Number);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect((await costs()).slice(-1)).toEqual(['']);
    await page.click('#summary thead th:nth-child(10)');
    const descending = (await costs()).filter(Boolean).map(Number);
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
  });

  it('reads in dark mode: a dark page and light chart text', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const colors = await page.evaluate(() => ({
      background: getComputedStyle(document.body).backgroundColor,
      chartText: getComputedStyle(document.querySelector('figure.chart svg text')!).fill,
    }));
    const brightness = (rgb: string) =>
      (rgb.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, value) => sum + Number(value), 0);
    expect(brightness(colors.background)).toBeLessThan(120);
    expect(brightness(colors.chartText)).toBeGreaterThan(500);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('takes a screenshot that is not blank', async () => {
    await page.evaluate(() => document.querySelector('#w-1')!.scrollIntoView());
    const png = (await page.screenshot()).toString('base64');
    const blank = await context.newPage();
    const { colors, inked } = await blank.evaluate(async (data) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context2d = canvas.getContext('2d')!;
      context2d.drawImage(image, 0, 0);
      const pixels = context2d.getImageData(0, 0, image.width, image.height).data;
      const seen = new Set<number>();
      let nonWhite = 0;
      for (let index = 0; index < pixels.length; index += 4) {
        const [red, green, blue] = [pixels[index]!, pixels[index + 1]!, pixels[index + 2]!];
        seen.add(((red >> 4) << 8) | ((green >> 4) << 4) | (blue >> 4));
        if (red + green + blue < 720) nonWhite += 1;
      }
      return { colors: seen.size, inked: nonWhite / (pixels.length / 4) };
    }, png);
    await blank.close();
    expect(colors).toBeGreaterThan(40);
    expect(inked).toBeGreaterThan(0.05);
  });
});
