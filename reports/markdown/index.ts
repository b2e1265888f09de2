/**
 * Markdown for a pull-request comment: a summary table per workload × target, the thresholds, the
 * top findings and collapsible details; under GitHub's comment limit; a hidden marker for CI.
 */

import type { ReportFormat } from '../pipeline/formats.ts';
import { renderMarkdown } from './render.ts';

export { GITHUB_COMMENT_LIMIT, REPORT_MARKER } from './render.ts';

export const markdown: ReportFormat = {
  id: 'markdown',
  title: 'Markdown for a pull-request comment',
  fileName: 'report.md',
  render: async (bundle) => renderMarkdown(bundle),
};
