/** JUnit XML for CI: one test case per workload × target × threshold, so failures show natively. */

import type { ReportFormat } from '../pipeline/formats.ts';
import { renderJunit } from './render.ts';

export const junit: ReportFormat = {
  id: 'junit',
  title: 'JUnit XML: one test case per workload × target × threshold',
  fileName: 'report.junit.xml',
  render: async (bundle) => renderJunit(bundle),
};
