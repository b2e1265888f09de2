import { describe, expect, it } from 'vitest';
import { NODE_TYPES } from '../../../core/pricing/nodes.ts';
import { EventHeap } from '../../engine/heap.ts';
import type { Simulation } from '../types.ts';
import { Cluster, type ClusterNode, type Placeable } from './cluster.ts';

/** Just enough of the engine for the cluster: a clock, events and milestones. */
function fakeSim() {
  const heap = new EventHeap();
  let nowMs = 0;
  const milestones = new Map<string, number>();
  const sim = {
    now: () => nowMs,
    schedule: (atMs: number, handler: (now: number, data: unknown) => void, data?: unknown) =>
      heap.push(atMs, handler, data),
    milestone: (name: string, atMs: number) => {
      if (!milestones.has(name)) milestones.set(name, atMs);
    },
  } as unknown as Simulation;
  const runUntil = (untilMs: number) => {
    while (heap.peekTime() <= untilMs) {
      nowMs = heap.peekTime();
      heap.popAndRun();
    }
    nowMs = untilMs;
  };
  return { sim, runUntil, milestones };
}

class TestPod implements Placeable {
  node: ClusterNode | null = null;
  boundAtMs = -1;
  evicted = false;
  bound(_node: ClusterNode, nowMs: number): void {
    this.boundAtMs = nowMs;
  }
  evict(): void {
    this.evicted = true;
  }
}

const m5 = NODE_TYPES.find((type) => type.id === 'm5.xlarge')!;
const shape = { cpuMillis: 1000, memoryBytes: 1024 ** 3, gpus: 0 }; // 4 per m5.xlarge (4 vCPU)

function cluster(minNodes = 0) {
  const fake = fakeSim();
  const instance = new Cluster(fake.sim, {
    nodeType: m5,
    shape,
    provisioningSeconds: 200,
    maxNodes: null,
    minNodes,
    hourlyUsd: 0.2,
  });
  return { ...fake, cluster: instance };
}

describe('the cluster and its autoscaler', () => {
  it('packs the starting pods onto just enough nodes, first fit', () => {
    const { cluster: c } = cluster();
    const pods = Array.from({ length: 5 }, () => new TestPod());
    c.bootstrap(pods);
    expect(c.podsPerNode).toBe(4);
    expect(c.nodes.map((node) => node.pods.size)).toEqual([4, 1]);
  });

  it('asks for nodes at the next scan for pods that fit nowhere, and binds them when the nodes are up', () => {
    const { cluster: c, runUntil, milestones } = cluster();
    c.bootstrap([new TestPod()]);
    runUntil(12_000);
    const pending = Array.from({ length: 8 }, () => new TestPod());
    for (const pod of pending) c.submit(pod);
    expect(pending.filter((pod) => pod.node).length).toBe(3);
    runUntil(20_000);
    expect(milestones.get('firstNodeRequestedMs')).toBe(20_000);
    expect(c.nodes.length).toBe(3);
    runUntil(219_999);
    expect(c.pendingCount).toBe(5);
    runUntil(220_000);
    expect(c.pendingCount).toBe(0);
    expect(pending.at(-1)!.boundAtMs).toBe(220_000);
  });

  it('removes an empty node after 10 minutes unneeded (and 10 minutes after the last scale-up), never below the minimum', () => {
    const { cluster: c, runUntil } = cluster(1);
    const pods = Array.from({ length: 8 }, () => new TestPod());
    c.bootstrap(pods);
    for (const pod of pods.slice(4)) c.release(pod);
    runUntil(10_000);
    expect(c.nodes.length).toBe(2);
    runUntil(609_999);
    expect(c.nodes.length).toBe(2);
    runUntil(610_000);
    expect(c.nodes.length).toBe(1);
    for (const pod of pods.slice(0, 4)) c.release(pod);
    runUntil(3_600_000);
    expect(c.nodes.length).toBe(1);
    expect(c.usage(3_600_000).nodeSeconds).toBe(610 + 3600);
  });

  it('drains an underused node only when its pods fit on nodes that stay', () => {
    const { cluster: c, runUntil } = cluster();
    const pods = Array.from({ length: 9 }, () => new TestPod());
    c.bootstrap(pods); // nodes of 4, 4, 1
    for (const pod of pods.slice(0, 3)) c.release(pod); // 1, 4, 1
    runUntil(610_000);
    // Node 0 (1 of 4) and node 2 (1 of 4) are under 50 %; one of them is drained into the other's room.
    expect(pods.filter((pod) => pod.evicted)).toHaveLength(1);
    expect(c.nodes.filter((node) => node.draining)).toHaveLength(1);
  });
});
