// The end-to-end suite's view of the running stack: a client that queries the gateway as one
// demo viewer.
import { staff, partners } from '@passerelle/demo-data';
import { postGraphQL, tokenFor, tokenSettings, type TestViewer } from '@passerelle/testkit';
import { inject } from 'vitest';

export const gatewayUrl = () => inject('gatewayUrl');
export const subgraphUrls = () => inject('subgraphUrls');

export function as(viewer: TestViewer) {
  const settings = tokenSettings(inject('jwtSecret'));
  return async <TData = Record<string, any>>(query: string, variables?: Record<string, unknown>) =>
    postGraphQL<TData>(
      gatewayUrl(),
      { query, ...(variables ? { variables } : {}) },
      { token: await tokenFor(settings, viewer) },
    );
}

export const viewers = {
  housingStaff: { partner: partners.aisQuartiers.id, role: 'staff', sub: staff.aisQuartiers },
  irisStaff: { partner: partners.aisIris.id, role: 'staff', sub: staff.aisIris },
  trainer: { partner: partners.clic.id, role: 'staff', sub: staff.clic },
  homeworkStaff: { partner: partners.tournesols.id, role: 'staff', sub: staff.tournesols },
  womenStaff: { partner: partners.femmes.id, role: 'staff', sub: staff.femmes },
  coordinator: { partner: null, role: 'coordinator', sub: staff.coordination },
} satisfies Record<string, TestViewer>;
