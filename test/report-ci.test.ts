import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPORT_MARKER } from '../reports/markdown/index.ts';
import { ROW_FIELDS } from '../reports/pipeline/rows.ts';
import { parseThresholds } from '../reports/thresholds/index.ts';
import { repoRoot } from './helpers/paths.ts';
import { schemaErrors } from './helpers/schemas.ts';

const text = (path: string) => readFileSync(`${repoRoot}${path}`, 'utf8');

describe('the GitHub Actions workflow in examples/ci', () => {
  const workflow = parse(text('examples/ci/migrate.yml'));

  it('is a valid workflow', () => {
    expect(schemaErrors('github-workflow.schema.json', workflow)).toEqual([]);
  });

  it('runs the pipeline, uploads the HTML, and updates the one comment that carries the marker', () => {
    const steps: { uses?: string; run?: string; with?: Record<string, string> }[] =
      workflow.jobs.migrate.steps;
    expect(steps.some((step) => step.run?.includes('migrate.js run "$MANIFESTS" --out migration'))).toBe(
      true,
    );
    expect(steps.find((step) => step.uses?.startsWith('actions/upload-artifact'))?.with?.path).toContain(
      'migration/report.html',
    );
    const script = steps.find((step) => step.uses?.startsWith('actions/github-script'))?.with?.script ?? '';
    expect(script).toContain(`const marker = '${REPORT_MARKER}'`);
    expect(script).toContain('updateComment');
    expect(script).toContain('createComment');
    expect(Object.keys(workflow.on)).toEqual(['pull_request', 'push']);
  });

  it('fails on thresholds that parse', () => {
    expect(parseThresholds(workflow.env.FAIL_ON, ROW_FIELDS).map((threshold) => threshold.source)).toEqual([
      'failed > 0 and target != "kubernetes"',
      'cost_delta_pct > 25',
    ]);
  });
});

describe('the docs of report and run', () => {
  it('document every field a threshold can read', () => {
    const page = text('docs/report.md');
    for (const field of ROW_FIELDS) expect(page, field.name).toContain(`| \`${field.name}\` |`);
  });

  it('list both verbs in the guide and the threshold exit code', () => {
    const guide = text('docs/README.md');
    expect(guide).toContain('| `migrate run` |');
    expect(guide).toContain('| `migrate report` |');
    expect(text('docs/exit-codes.md')).toContain('`migrate run` and `migrate report`');
  });
});
