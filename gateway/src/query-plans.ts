// Query plans laid out so that sibling entity fetches to one subgraph leave together.
//
// Apollo's planner runs the branches of a parallel step each on its own: in a person's journey
// the training, women and housing branches each ask network for something once their partner
// has answered (course titles, workshop titles, the household's consents), three requests where
// one would do. Aligning the branches on the levels where two of them fetch from the same
// subgraph makes those fetches start at the same moment, and `EntityBatches` (entity-batches.ts)
// then sends them as one request. The price is that an aligned branch waits for its siblings'
// previous step; branches that share nothing with the others are left alone.
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { PlanNode, QueryPlan, QueryPlanCache } from '@apollo/query-planner';

/** The subgraph a step fetches from, when the step is one fetch (at a path or at the root). */
function fetchedFrom(node: PlanNode | undefined): string | undefined {
  if (node?.kind === 'Fetch') return node.serviceName;
  if (node?.kind === 'Flatten' && node.node.kind === 'Fetch') return node.node.serviceName;
  return undefined;
}

const together = (nodes: PlanNode[]): PlanNode =>
  nodes.length === 1 ? nodes[0]! : { kind: 'Parallel', nodes };

const inSequence = (nodes: PlanNode[]): PlanNode =>
  nodes.length === 1
    ? nodes[0]!
    : { kind: 'Sequence', nodes: nodes.flatMap((n) => (n.kind === 'Sequence' ? n.nodes : [n])) };

/** The branches of `aligned` lined up level by level up to `lastLevel`, then each on its own. */
function lineUp(aligned: readonly PlanNode[][], lastLevel: number): PlanNode {
  const levels: PlanNode[] = [];
  for (let level = 0; level <= lastLevel; level += 1) {
    levels.push(together(aligned.flatMap((steps) => steps[level] ?? [])));
  }
  const rests = aligned.map((steps) => steps.slice(lastLevel + 1)).filter((rest) => rest.length);
  if (rests.length) levels.push(together(rests.map(inSequence)));
  return inSequence(levels);
}

/**
 * The branches of a parallel step, aligned where two of them fetch from the same subgraph at the
 * same level. Branches that meet, directly or through a third, form a group, lined up to the last
 * level where two of its branches meet; a branch that meets no other runs on its own.
 */
function alignBranches(children: PlanNode[]): PlanNode {
  const branches = children.map((child) => (child.kind === 'Sequence' ? child.nodes : [child]));
  // Each branch's group, by the index of a branch of the group (union-find).
  const group = branches.map((_, index) => index);
  const root = (index: number): number =>
    group[index] === index ? index : (group[index] = root(group[index]!));
  const lastLevel = new Map<number, number>();
  const depth = Math.max(...branches.map((steps) => steps.length));
  // Level 0 needs no alignment: the first steps of the branches already start together.
  for (let level = 1; level < depth; level += 1) {
    const bySubgraph = new Map<string, number[]>();
    branches.forEach((steps, index) => {
      const subgraph = fetchedFrom(steps[level]);
      if (subgraph) bySubgraph.set(subgraph, [...(bySubgraph.get(subgraph) ?? []), index]);
    });
    for (const [first, ...others] of bySubgraph.values()) {
      if (first === undefined || !others.length) continue;
      for (const other of others) group[root(other)] = root(first);
      for (const index of [first, ...others]) lastLevel.set(index, level);
    }
  }
  if (lastLevel.size === 0) return { kind: 'Parallel', nodes: children };
  const groups = new Map<number, number[]>();
  branches.forEach((_, index) => {
    if (lastLevel.has(index)) groups.set(root(index), [...(groups.get(root(index)) ?? []), index]);
  });
  return together([
    ...[...groups.values()].map((members) =>
      lineUp(
        members.map((index) => branches[index]!),
        Math.max(...members.map((index) => lastLevel.get(index)!)),
      ),
    ),
    ...children.filter((_, index) => !lastLevel.has(index)),
  ]);
}

/** A plan node with every parallel step below it aligned; the node itself is not changed. */
export function alignNode(node: PlanNode): PlanNode {
  switch (node.kind) {
    case 'Sequence':
      return inSequence(node.nodes.map(alignNode));
    case 'Parallel':
      return alignBranches(node.nodes.map(alignNode));
    case 'Flatten':
      return { ...node, node: alignNode(node.node) };
    case 'Condition':
      return {
        ...node,
        ...(node.ifClause ? { ifClause: alignNode(node.ifClause) } : {}),
        ...(node.elseClause ? { elseClause: alignNode(node.elseClause) } : {}),
      };
    default:
      return node;
  }
}

/** Aligns a whole query plan in place (subscriptions are left as they are). */
export function alignPlan(plan: QueryPlan): QueryPlan {
  if (plan.node && plan.node.kind !== 'Subscription') plan.node = alignNode(plan.node);
  return plan;
}

/**
 * The gateway's query plan store (`queryPlannerConfig.cache`), which aligns each plan as it is
 * stored. The gateway stores a new plan before it first runs it, and runs the object it stored,
 * so even the first request of an operation runs aligned. Sized as the gateway's own store.
 */
export function aligningPlanStore(maxMiB = 30): QueryPlanCache {
  const plans = new InMemoryLRUCache<QueryPlan>({
    maxSize: maxMiB * 2 ** 20,
    sizeCalculation: (plan) => Buffer.byteLength(JSON.stringify(plan)),
  });
  return {
    get: (key) => plans.get(key),
    set: (key, plan, options) => plans.set(key, alignPlan(plan), options),
    delete: (key) => plans.delete(key),
    clear: () => plans.clear(),
  };
}
