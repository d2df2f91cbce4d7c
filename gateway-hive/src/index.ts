export { startHiveGateway, supergraphSubgraphs, type HiveGatewayOptions } from './gateway.ts';
export {
  APOLLO_ENTRY,
  HIVE_ENTRY,
  launchGateway,
  launchHiveGateway,
  type GatewayLaunchOptions,
  type LaunchedGateway,
} from './launch.ts';
export { auditGraphQLOverHttp, type AuditFinding, type AuditReport } from './http-audit.ts';
