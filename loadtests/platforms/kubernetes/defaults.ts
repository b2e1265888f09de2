/**
 * Constants of the cluster model, each with its source (../shared/reference/platform-facts.md).
 * Values marked "assumption" have no measured source: they are shown in every result that uses them
 * and can be replaced by flags or a calibration file. docs/platforms/kubernetes.md lists them all.
 */

export interface Sourced<T> {
  value: T;
  source: string;
}

const fact = <T>(value: T, source: string): Sourced<T> => ({ value, source });

export const CLUSTER_AUTOSCALER = {
  scanIntervalSeconds: fact(10, 'CA --scan-interval 10 s (cluster-autoscaler FAQ; platform-facts.md b)'),
  scaleDownUnneededSeconds: fact(600, 'CA --scale-down-unneeded-time 10 min (FAQ; platform-facts.md b)'),
  scaleDownDelayAfterAddSeconds: fact(
    600,
    'CA --scale-down-delay-after-add 10 min (FAQ; platform-facts.md b)',
  ),
  scaleDownUtilizationThreshold: fact(
    0.5,
    'CA --scale-down-utilization-threshold 0.5 (FAQ; platform-facts.md b)',
  ),
  maxEmptyBulkDelete: fact(10, 'CA --max-empty-bulk-delete 10 (FAQ; platform-facts.md b)'),
};

export const HPA_SYNC_PERIOD_SECONDS = fact(
  15,
  '--horizontal-pod-autoscaler-sync-period 15 s (kubernetes.io HPA docs; platform-facts.md a.3)',
);

/** When an HPA names no metric, or KServe raw mode scales a predictor: CPU at 80 % of request. */
export const DEFAULT_CPU_UTILIZATION = fact(
  80,
  'autoscaling.DefaultCPUUtilization = 80 (SetDefaults_HorizontalPodAutoscaler; platform-facts.md a.3)',
);

export const TERMINATION_GRACE_SECONDS = fact(
  30,
  'terminationGracePeriodSeconds default 30 s (kubernetes.io "Termination of Pods"; platform-facts.md c)',
);

/** Requests one pod serves at once when neither the manifests nor --pod-concurrency say. */
export const DEFAULT_POD_CONCURRENCY = fact(
  1,
  'assumption: a plain Deployment states no concurrency; 1 is the conservative choice (set --pod-concurrency)',
);

/** Pods already running when the replay starts have been up this long (past the HPA's CPU initialization period). */
export const INITIAL_POD_AGE_SECONDS = 3600;

export interface PodStartDefaults {
  schedulingSeconds: Sourced<number>;
  imagePullSeconds: Sourced<number>;
  modelLoadSeconds: Sourced<number>;
}

const LOW_TRUST =
  'assumption; the only figures found are unsourced (lillytechsystems.com: model load 1–30 s, PyTorch 15–30 s; platform-facts.md c)';

/** Pod start-up when nothing measured is given: GPU model servers pull larger images and load larger models. */
export function podStartDefaults(gpu: boolean): PodStartDefaults {
  return {
    schedulingSeconds: fact(2, 'assumption: binding, kubelet pick-up and sandbox creation (no source read)'),
    imagePullSeconds: gpu
      ? fact(
          90,
          'assumption: a multi-GB CUDA serving image on a fresh node (no image-pull measurement read; platform-facts.md c)',
        )
      : fact(
          20,
          'assumption: a CPU serving image on a fresh node (no image-pull measurement read; platform-facts.md c)',
        ),
    modelLoadSeconds: gpu ? fact(60, LOW_TRUST) : fact(10, LOW_TRUST),
  };
}
