/**
 * Kubernetes nodes: count × hours × the node type's hourly price (core/pricing/nodes.ts), each node
 * billed at least its provider's minimum (60 s) — the same rule the replay's cluster model uses.
 */

import { MigrateError } from '../errors.ts';
import { type PriceBook, priceLine } from './calculate-common.ts';
import type { KubernetesUsage, PriceLine } from './usage.ts';

export function priceKubernetes(
  usage: KubernetesUsage,
  book: PriceBook,
): { lines: PriceLine[]; notes: string[] } {
  const lines: PriceLine[] = [];
  const notes: string[] = [];
  const flagged = new Set<string>();
  usage.nodes.forEach((node, index) => {
    const type = book.nodeTypes.find((candidate) => candidate.id === node.type);
    if (!type)
      throw new MigrateError(
        `nodes[${index}].type: unknown node type ${JSON.stringify(node.type)} (known: ${book.nodeTypes.map((t) => t.id).join(', ')})`,
        { hint: 'add it under nodeTypes in a --prices file' },
      );
    const billedHours = Math.max(node.hours * 3600, type.minimumBilledSeconds) / 3600;
    lines.push(
      priceLine(`nodes ${type.id}`, node.count * billedHours, 'node-hours', type.hourlyUsd, type.priceSource),
    );
    if (type.priceConfidence !== 'primary' && !flagged.has(type.id)) {
      flagged.add(type.id);
      notes.push(
        `${type.id}: the hourly price is ${type.priceConfidence} (see its source): check it, or give yours with --prices`,
      );
    }
  });
  if (usage.freeTier) notes.push('Kubernetes nodes have no free tier: freeTier ignored');
  return { lines, notes };
}
