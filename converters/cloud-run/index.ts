import type { Converter } from '../types.ts';
import { convertToCloudRun } from './convert.ts';

/**
 * Google Cloud Run: a `serving.knative.dev/v1` Service (service.yaml) for `gcloud run services replace`,
 * sized from the pod and its traffic, with a startup probe that holds traffic until the model is
 * loaded and one NVIDIA L4 for single-GPU workloads. Every mapping: docs/targets/cloud-run.md.
 */
export const cloudRun: Converter = {
  id: 'cloud-run',
  title: 'Google Cloud Run',
  docs: 'docs/targets/cloud-run.md',
  convert: convertToCloudRun,
};
