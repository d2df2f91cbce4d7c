// Reading ahead what an operation asks below a field, as a resolver that computes several fields
// in one statement does: fragments flattened, paths followed, never a field too few.
import { buildSchema, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectedFields } from '../src/selection.ts';

const schema = buildSchema(`
  type Query { figures: Figures }
  type Figures { pairs: [Pair!]! }
  type Pair { id: ID! funnel: Funnel! }
  type Funnel { sent: Int! median: Float late: Float }
`);

/** The fields `pairs` sees selected at its own level and under `funnel`, for `query`. */
async function seenBy(query: string): Promise<{ own: string[]; funnel: string[] }> {
  const seen = { own: [] as string[], funnel: [] as string[] };
  const rootValue = {
    figures: () => ({
      pairs: (_: unknown, __: unknown, info: Parameters<typeof selectedFields>[0]) => {
        seen.own = [...selectedFields(info)].sort();
        seen.funnel = [...selectedFields(info, ['funnel'])].sort();
        return [];
      },
    }),
  };
  const result = await graphql({ schema, source: query, rootValue });
  expect(result.errors).toBeUndefined();
  return seen;
}

describe('selectedFields', () => {
  it('lists the fields asked below the current one, and along a path', async () => {
    expect(await seenBy('{ figures { pairs { id funnel { sent } } } }')).toEqual({
      own: ['funnel', 'id'],
      funnel: ['sent'],
    });
  });

  it('flattens named and inline fragments, and merges the same field asked twice', async () => {
    const query = `{ figures { pairs { ...Pair funnel { sent } } } }
      fragment Pair on Pair { funnel { ... on Funnel { median } ...Late } }
      fragment Late on Funnel { late }`;
    expect(await seenBy(query)).toEqual({ own: ['funnel'], funnel: ['late', 'median', 'sent'] });
  });

  it('counts fields under @skip and @include as asked, and aliases by their field name', async () => {
    const query = `query($no: Boolean = false) {
      figures { pairs { f: funnel { m: median @include(if: $no) sent } } }
    }`;
    expect(await seenBy(query)).toEqual({ own: ['funnel'], funnel: ['median', 'sent'] });
  });

  it('gives nothing for a path the operation does not take', async () => {
    expect((await seenBy('{ figures { pairs { id } } }')).funnel).toEqual([]);
  });
});
