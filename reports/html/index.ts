/**
 * HTML: one self-contained file with Vega-Lite charts rendered to SVG at build time — traffic and
 * instances over time, latency percentiles, cold starts, GPU allocated vs busy, cost — and sortable
 * tables; readable in light and dark mode; nothing is fetched when it is viewed.
 */

import type { ReportFormat } from '../pipeline/formats.ts';
import { renderHtml } from './render.ts';

export const html: ReportFormat = {
  id: 'html',
  title: 'Self-contained HTML with charts',
  fileName: 'report.html',
  render: renderHtml,
};
