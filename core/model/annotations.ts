/** Annotations a team sets on a workload to tell migrate what the manifests cannot say. */

/** The model's size, as a Kubernetes quantity: `migrate.dev/model-size: 3Gi`. */
export const MODEL_SIZE_ANNOTATION = 'migrate.dev/model-size';

/** A latency SLO in milliseconds: `migrate.dev/slo-ms: "150"`. */
export const SLO_ANNOTATION = 'migrate.dev/slo-ms';
