/**
 * The nodes under a workload and the cluster autoscaler that adds and removes them.
 *
 * Pods of one workload all have the same requests, so a node holds a whole number of them: the
 * fewest that fit by CPU, memory and GPUs (system reservations and daemon sets are not modelled).
 * The scheduler binds a pending pod to the oldest ready node with room (first fit). Every scan
 * interval the autoscaler counts the pods that do not fit anywhere, fills the room of nodes already
 * on their way first, and asks for enough new nodes for the rest; a node is schedulable once its
 * provisioning time has passed. A node whose requested share (GPUs on GPU nodes, else the larger of
 * CPU and memory) is under the threshold, and whose pods fit on the other nodes, is removed after
 * staying so for the unneeded time, and not within the delay after a scale-up; its pods are evicted
 * and replaced first.
 */

import { MigrateError } from '../../../core/errors.ts';
import { type NodeType, nodeCostUsd } from '../../../core/pricing/nodes.ts';
import type { CostLine, Simulation } from '../types.ts';
import { CLUSTER_AUTOSCALER } from './defaults.ts';

export interface PodShape {
  cpuMillis: number;
  memoryBytes: number;
  gpus: number;
}

/** What the cluster needs of a pod: its place, and what to do when it is bound or evicted. */
export interface Placeable {
  node: ClusterNode | null;
  bound(node: ClusterNode, nowMs: number): void;
  evict(): void;
}

export class ClusterNode {
  readonly pods = new Set<Placeable>();
  ready: boolean;
  draining = false;
  deletedAtMs = -1;
  unneededSinceMs = -1;
  /** When the workload's image is on the node (-1: never pulled; may lie in the future while pulling). */
  imageReadyAtMs: number;

  constructor(
    readonly id: number,
    readonly createdAtMs: number,
    readonly readyAtMs: number,
    ready: boolean,
    imageReadyAtMs: number,
  ) {
    this.ready = ready;
    this.imageReadyAtMs = imageReadyAtMs;
  }
}

export interface ClusterOptions {
  nodeType: NodeType;
  shape: PodShape;
  provisioningSeconds: number;
  maxNodes: number | null;
  /** Nodes up at the start and never removed; 0 → only what the initial pods need. */
  minNodes: number;
  hourlyUsd: number;
}

export class Cluster {
  readonly nodes: ClusterNode[] = [];
  private readonly retired: ClusterNode[] = [];
  private readonly pending: Placeable[] = [];
  readonly podsPerNode: number;
  private lastScaleUpMs = Number.NEGATIVE_INFINITY;
  private nextNodeId = 0;
  private readonly scanMs = CLUSTER_AUTOSCALER.scanIntervalSeconds.value * 1000;

  constructor(
    private readonly sim: Simulation,
    readonly options: ClusterOptions,
  ) {
    const { nodeType, shape } = options;
    const fits = [
      shape.cpuMillis > 0 ? Math.floor(nodeType.cpuMillis / shape.cpuMillis) : Number.POSITIVE_INFINITY,
      shape.memoryBytes > 0 ? Math.floor(nodeType.memoryBytes / shape.memoryBytes) : Number.POSITIVE_INFINITY,
      shape.gpus > 0 ? Math.floor(nodeType.gpus / shape.gpus) : Number.POSITIVE_INFINITY,
    ];
    const perNode = Math.min(...fits);
    if (!(perNode >= 1)) {
      throw new MigrateError(
        `a pod needing ${shape.cpuMillis}m CPU, ${(shape.memoryBytes / 1024 ** 3).toFixed(1)} GiB memory and ${shape.gpus} GPU(s) does not fit on a ${nodeType.id} node`,
        { hint: 'pick a larger --node-type, or add one in a calibration file (nodeTypes)' },
      );
    }
    this.podsPerNode = Number.isFinite(perNode) ? perNode : 110; // kubelet's default max pods per node
  }

  /** The starting cluster: the minimum, or just enough ready nodes (image present) for the pods already running. */
  bootstrap(pods: Placeable[]): void {
    while (this.nodes.length < this.options.minNodes)
      this.nodes.push(new ClusterNode(this.nextNodeId++, 0, 0, true, 0));
    for (const pod of pods) {
      let node = this.nodes.find((candidate) => this.room(candidate) > 0);
      if (!node) {
        node = new ClusterNode(this.nextNodeId++, 0, 0, true, 0);
        this.nodes.push(node);
      }
      this.bind(pod, node);
    }
    this.sim.schedule(this.scanMs, this.onScan);
  }

  /** A new pod: bound now if a ready node has room, else pending until one does. */
  submit(pod: Placeable): void {
    const node = this.nodes.find(
      (candidate) => candidate.ready && !candidate.draining && this.room(candidate) > 0,
    );
    if (node) this.bind(pod, node);
    else this.pending.push(pod);
  }

  /** The pod is gone (terminated, or deleted while pending): its room goes to pending pods. */
  release(pod: Placeable): void {
    const index = this.pending.indexOf(pod);
    if (index >= 0) this.pending.splice(index, 1);
    const node = pod.node;
    if (!node) return;
    node.pods.delete(pod);
    pod.node = null;
    if (node.draining && node.pods.size === 0) this.remove(node);
    else this.schedulePending();
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  private room(node: ClusterNode): number {
    return this.podsPerNode - node.pods.size;
  }

  private bind(pod: Placeable, node: ClusterNode): void {
    node.pods.add(pod);
    pod.node = node;
    pod.bound(node, this.sim.now());
  }

  private schedulePending(): void {
    while (this.pending.length > 0) {
      const node = this.nodes.find(
        (candidate) => candidate.ready && !candidate.draining && this.room(candidate) > 0,
      );
      if (!node) return;
      this.bind(this.pending.shift()!, node);
    }
  }

  private readonly onScan = (nowMs: number) => {
    this.scaleUp(nowMs);
    this.scaleDown(nowMs);
    this.sim.schedule(nowMs + this.scanMs, this.onScan);
  };

  private scaleUp(nowMs: number): void {
    if (this.pending.length === 0) return;
    const upcomingRoom = this.nodes
      .filter((node) => !node.ready)
      .reduce((sum, node) => sum + this.room(node), 0);
    const unplaced = this.pending.length - upcomingRoom;
    if (unplaced <= 0) return;
    const allowed =
      this.options.maxNodes === null ? Number.POSITIVE_INFINITY : this.options.maxNodes - this.nodes.length;
    const count = Math.min(Math.ceil(unplaced / this.podsPerNode), allowed);
    if (count <= 0) return;
    const readyAtMs = nowMs + this.options.provisioningSeconds * 1000;
    for (let i = 0; i < count; i++) {
      const node = new ClusterNode(this.nextNodeId++, nowMs, readyAtMs, false, -1);
      this.nodes.push(node);
      this.sim.schedule(readyAtMs, this.onNodeReady, node);
    }
    this.lastScaleUpMs = nowMs;
    this.sim.milestone('firstNodeRequestedMs', nowMs);
  }

  private readonly onNodeReady = (nowMs: number, data: unknown) => {
    const node = data as ClusterNode;
    if (node.deletedAtMs >= 0) return;
    node.ready = true;
    this.sim.milestone('firstNewNodeReadyMs', nowMs);
    this.schedulePending();
  };

  private scaleDown(nowMs: number): void {
    const { scaleDownUnneededSeconds, scaleDownDelayAfterAddSeconds, maxEmptyBulkDelete } =
      CLUSTER_AUTOSCALER;
    const due: ClusterNode[] = [];
    for (const node of this.nodes) {
      if (!node.ready || node.draining) continue;
      if (!this.unneeded(node, [])) {
        node.unneededSinceMs = -1;
        continue;
      }
      if (node.unneededSinceMs < 0) node.unneededSinceMs = nowMs;
      if (nowMs - node.unneededSinceMs >= scaleDownUnneededSeconds.value * 1000) due.push(node);
    }
    if (nowMs - this.lastScaleUpMs < scaleDownDelayAfterAddSeconds.value * 1000) return;
    const removable = Math.max(0, this.nodes.length - this.options.minNodes);
    const empty = due
      .filter((node) => node.pods.size === 0)
      .slice(0, Math.min(maxEmptyBulkDelete.value, removable));
    for (const node of empty) this.remove(node);
    if (empty.length >= removable) return;
    // Non-empty nodes go one at a time, and only if their pods still fit once the empty ones are gone:
    // cordon, then evict; the node leaves when its pods are gone.
    const drained = due.find((node) => node.pods.size > 0 && this.unneeded(node, empty));
    if (!drained) return;
    drained.draining = true;
    for (const pod of [...drained.pods]) pod.evict();
  }

  /** Under the utilisation threshold, with its pods fitting on the other nodes (but `leaving`). */
  private unneeded(node: ClusterNode, leaving: readonly ClusterNode[]): boolean {
    if (node.pods.size === 0) return true;
    const { nodeType, shape } = this.options;
    const count = node.pods.size;
    const share =
      shape.gpus > 0 && nodeType.gpus > 0
        ? (count * shape.gpus) / nodeType.gpus
        : Math.max(
            (count * shape.cpuMillis) / nodeType.cpuMillis,
            (count * shape.memoryBytes) / nodeType.memoryBytes,
          );
    if (share >= CLUSTER_AUTOSCALER.scaleDownUtilizationThreshold.value) return false;
    const roomElsewhere = this.nodes
      .filter((other) => other !== node && other.ready && !other.draining && !leaving.includes(other))
      .reduce((sum, other) => sum + this.room(other), 0);
    return roomElsewhere >= count;
  }

  private remove(node: ClusterNode): void {
    node.deletedAtMs = this.sim.now();
    this.nodes.splice(this.nodes.indexOf(node), 1);
    this.retired.push(node);
  }

  /** Node-seconds, GPU-seconds and cost up to `endMs`. */
  usage(endMs: number): { nodeSeconds: number; gpuSeconds: number; costUsd: number; line: CostLine } {
    const { nodeType, hourlyUsd } = this.options;
    let nodeSeconds = 0;
    let costUsd = 0;
    const priced = { ...nodeType, hourlyUsd };
    for (const node of [...this.retired, ...this.nodes]) {
      const until = node.deletedAtMs >= 0 ? node.deletedAtMs : endMs;
      const seconds = Math.max(0, until - node.createdAtMs) / 1000;
      nodeSeconds += seconds;
      costUsd += nodeCostUsd(priced, seconds);
    }
    const nodeHours = nodeSeconds / 3600;
    return {
      nodeSeconds,
      gpuSeconds: nodeSeconds * nodeType.gpus,
      costUsd,
      line: {
        item: `${nodeType.id} nodes`,
        quantity: nodeHours,
        unit: 'node-hours',
        unitPriceUsd: hourlyUsd,
        usd: costUsd,
        source: `${nodeType.priceSource}; ${nodeType.billingSource}`,
      },
    };
  }
}
