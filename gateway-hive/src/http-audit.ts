// The GraphQL-over-HTTP conformance audits of graphql-http, run against a live gateway of either
// engine with a caller's bearer token: the MUST audits are errors, SHOULD audits warnings and
// MAY audits notices.
import { serverAudits, type AuditName } from 'graphql-http';

export interface AuditFinding {
  id: string;
  name: AuditName;
  status: 'notice' | 'warn' | 'error';
  reason: string;
}

export interface AuditReport {
  passed: number;
  findings: AuditFinding[];
}

export async function auditGraphQLOverHttp(url: string, token: string): Promise<AuditReport> {
  const fetchFn = (input: string | URL | Request, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const report: AuditReport = { passed: 0, findings: [] };
  // One at a time: the audits are about answers, not load.
  for (const audit of serverAudits({ url, fetchFn })) {
    const result = await audit.fn();
    if (result.status === 'ok') {
      report.passed += 1;
    } else {
      const { id, name, status, reason } = result;
      report.findings.push({ id, name, status, reason });
    }
  }
  return report;
}
