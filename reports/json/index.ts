/**
 * JSON for machines: `report.json`, with `schemaVersion` and a JSON Schema (docs/report.schema.json).
 * `--baseline` reads this file back on the next run.
 */

import type { ReportFormat } from '../pipeline/formats.ts';
import { renderJson } from './render.ts';

export const json: ReportFormat = {
  id: 'json',
  title: 'JSON for machines, with a JSON Schema',
  fileName: 'report.json',
  render: async (bundle) => renderJson(bundle),
};
