export { startHiveGateway, supergraphSubgraphs, type HiveGatewayOptions } from './gateway.ts';
export {
  HIVE_ENTRY,
  launchHiveGateway,
  type HiveLaunchOptions,
  type LaunchedGateway,
} from './launch.ts';
export { auditGraphQLOverHttp, type AuditFinding, type AuditReport } from './http-audit.ts';
