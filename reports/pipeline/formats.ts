/**
 * Every report format, one line each. A format is one folder, reports/<id>/, whose index.ts exports a
 * `ReportFormat`: its id, what it is for, the file it writes under --out, and a pure render function.
 */

import { html } from '../html/index.ts';
import { json } from '../json/index.ts';
import { junit } from '../junit/index.ts';
import { markdown } from '../markdown/index.ts';
import type { ReportBundle } from './build.ts';

export interface ReportFormat {
  id: 'markdown' | 'html' | 'json' | 'junit';
  title: string;
  /** Written under --out. */
  fileName: string;
  /** Pure apart from being async (the HTML's charts render asynchronously); same input, same bytes. */
  render(bundle: ReportBundle): Promise<string>;
}

export const FORMATS: readonly ReportFormat[] = [markdown, html, json, junit];

export const FORMAT_IDS = FORMATS.map((format) => format.id);
