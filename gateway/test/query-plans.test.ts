// Aligning query plans: branches of a parallel step that fetch from the same subgraph at the
// same level are lined up to that level, so that those fetches start together; the order within
// each branch never changes, and branches that share nothing are left as they were.
import { describe, expect, it } from 'vitest';
import type { PlanNode, QueryPlan } from '@apollo/query-planner';
import { aligningPlanStore, alignNode, alignPlan } from '../src/query-plans.ts';

/** A fetch at a path, named after its subgraph and a tag to tell fetches apart. */
const at = (service: string, tag = service): PlanNode => ({
  kind: 'Flatten',
  path: [tag],
  node: {
    kind: 'Fetch',
    serviceName: service,
    operation: `{ ${tag} }`,
    operationName: undefined,
    operationKind: 'query' as never,
  },
});
const seq = (...nodes: PlanNode[]): PlanNode => ({ kind: 'Sequence', nodes });
const par = (...nodes: PlanNode[]): PlanNode => ({ kind: 'Parallel', nodes });

/** The plan as subgraph names and tags: `[a, b]` a sequence, `{ par: [...] }` a parallel step. */
function shape(node: PlanNode): unknown {
  switch (node.kind) {
    case 'Sequence':
      return node.nodes.map(shape);
    case 'Parallel':
      return { par: node.nodes.map(shape) };
    case 'Flatten':
      return String(node.path[0]);
    case 'Condition':
      return { if: node.ifClause && shape(node.ifClause) };
    default:
      return node.kind;
  }
}

describe('aligned query plans', () => {
  it("meet a person's journey's three requests to network on one level", () => {
    const journey = seq(
      at('network', 'person'),
      par(
        seq(at('women'), at('network', 'workshopTitles'), at('women', 'childcare')),
        seq(at('training'), at('network', 'courseTitles'), at('training', 'seats')),
        seq(
          at('housing'),
          at('network', 'householdAccess'),
          at('homework'),
          at('network', 'clubTitles'),
        ),
      ),
    );
    expect(shape(alignNode(journey))).toEqual([
      'person',
      { par: ['women', 'training', 'housing'] },
      { par: ['workshopTitles', 'courseTitles', 'householdAccess'] },
      { par: ['childcare', 'seats', ['homework', 'clubTitles']] },
    ]);
  });

  it('leave branches that share no subgraph at a level as they were', () => {
    const plan = par(seq(at('housing'), at('network')), seq(at('training'), at('women')));
    expect(alignNode(plan)).toEqual(plan);
    // The first steps of parallel branches already start together: nothing to align.
    const firsts = par(at('network', 'a'), seq(at('network', 'b'), at('housing')));
    expect(alignNode(firsts)).toEqual(firsts);
  });

  it('align only the branches that meet, and only up to their last meeting', () => {
    const plan = par(
      seq(at('training'), at('network', 'titles'), at('training', 'seats'), at('network', 'x')),
      seq(at('women'), at('network', 'workshops')),
      seq(at('housing'), at('homework'), at('network', 'clubs')),
    );
    expect(shape(alignNode(plan))).toEqual({
      par: [
        [{ par: ['training', 'women'] }, { par: ['titles', 'workshops'] }, 'seats', 'x'],
        ['housing', 'homework', 'clubs'],
      ],
    });
  });

  it('line up each group of meeting branches to its own last meeting', () => {
    const plan = par(
      seq(at('training'), at('network', 'titles')),
      seq(at('women'), at('network', 'workshops')),
      seq(at('housing'), at('x'), at('y'), at('homework', 'pupils')),
      seq(at('helpdesk'), at('u'), at('v'), at('homework', 'visits')),
    );
    expect(shape(alignNode(plan))).toEqual({
      par: [
        [{ par: ['training', 'women'] }, { par: ['titles', 'workshops'] }],
        [
          { par: ['housing', 'helpdesk'] },
          { par: ['x', 'u'] },
          { par: ['y', 'v'] },
          { par: ['pupils', 'visits'] },
        ],
      ],
    });
  });

  it('align parallel steps nested under a path or a condition, and leave the node given alone', () => {
    const inner = par(seq(at('a'), at('network', 'x')), seq(at('b'), at('network', 'y')));
    const plan: PlanNode = {
      kind: 'Condition',
      condition: 'withFacets',
      ifClause: seq(at('network', 'root'), inner),
    };
    const before = structuredClone(plan);
    expect(shape(alignNode(plan))).toEqual({
      if: ['root', { par: ['a', 'b'] }, { par: ['x', 'y'] }],
    });
    expect(plan).toEqual(before);
  });

  it('store plans aligned, the stored object itself, so that its first run is aligned too', async () => {
    const store = aligningPlanStore();
    const plan: QueryPlan = {
      kind: 'QueryPlan',
      node: par(seq(at('a'), at('network', 'x')), seq(at('b'), at('network', 'y'))),
    };
    await store.set('key', plan);
    expect(shape(plan.node as PlanNode)).toEqual([{ par: ['a', 'b'] }, { par: ['x', 'y'] }]);
    expect(await store.get('key')).toBe(plan);
    store.clear();
    expect(await store.get('key')).toBeUndefined();
    expect(alignPlan({ kind: 'QueryPlan' })).toEqual({ kind: 'QueryPlan' });
  });
});
