export {
  addDays,
  brusselsDate,
  brusselsInstant,
  isoWeekday,
  monthStart,
  NETWORK_TIME_ZONE,
} from './calendar.ts';
export { ManualClock, systemClock, type Clock } from './clock.ts';
export { DIGCOMP_LEVELS, DIGCOMP_VERSION, digCompCompetences } from './digcomp.ts';
export { flag, parseEnv, port, logLevel, optionalUrl, subgraphVariable, z } from './env.ts';
export {
  ErrorCode,
  PublicError,
  badInput,
  conflict,
  createErrorFormatter,
  databaseErrorOf,
  LimitCode,
  loggableError,
  notFound,
  publicDatabaseError,
  publicExtensions,
  type ErrorFormatterOptions,
} from './errors.ts';
export {
  checkCost,
  checkRequest,
  checkShape,
  GATEWAY_LIMITS,
  LimitExceeded,
  LIMIT_VARIABLES,
  limitsEnvShape,
  limitsFrom,
  operationLimitsPlugin,
  SUBGRAPH_LIMITS,
  type OperationLimits,
} from './limits.ts';
export {
  countTokens,
  measureOperation,
  nestingDepth,
  operationCost,
  type OperationCost,
  type OperationShape,
} from './operation-size.ts';
export {
  HttpRefusal,
  serveGraphQL,
  stopOnSignals,
  subgraphReadiness,
  type ReadinessCheck,
  type RequestInfo,
  type RunningServer,
} from './http.ts';
export {
  groupLoader,
  refreshingValue,
  rowLoader,
  MAX_BATCH_SIZE,
  SERVED_PARTNERS_MAX_AGE_MS,
} from './loaders.ts';
export { createLogger, type Logger } from './logger.ts';
export { serveInWorkers, type WorkerServer, type WorkersOptions } from './workers.ts';
export {
  connectionResolvers,
  pageSize,
  toPage,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type Page,
} from './pagination.ts';
export {
  startSubgraph,
  verifySignature,
  viewerFrom,
  type RequestContext,
  type SubgraphOptions,
} from './subgraph.ts';
export {
  decodeViewer,
  encodeViewer,
  REQUEST_ID_HEADER,
  roles,
  VIEWER_HEADER,
  STAFF_ROLES,
  viewerSchema,
  type Role,
  type Viewer,
} from './viewer.ts';
export { DateScalar, DateTimeScalar } from './scalars.ts';
export { disclosedFields, facetRows, type FacetFields } from './facet-rows.ts';
export { selectedFields } from './selection.ts';
export {
  inputError,
  isUuid,
  languageCode,
  text,
  uuid,
  validate,
  type InputError,
  type InputErrorCode,
  type Validated,
} from './validation.ts';
export {
  repositoryRoot,
  runSubgraph,
  subgraphEnv,
  type RunningSubgraph,
  type SubgraphEnv,
  type SubgraphModule,
} from './run-subgraph.ts';
export {
  deriveKey,
  MAX_SIGNATURE_AGE_MS,
  ReplayGuard,
  SIGNATURE_HEADER,
  SignatureRefused,
  signRequest,
  verifyRequest,
  verifyVoucher,
  VOUCHER_HEADER,
  vouchForViewer,
  type SignedFields,
} from './signing.ts';
export { loadSecret } from './secrets.ts';
export {
  consentPurposes,
  decideFacet,
  facetWithheld,
  recordersOf,
  type AccessGrant,
  type ConsentPurpose,
  type FacetDecision,
  type FacetRequest,
} from './access.ts';
export {
  DisclosureLog,
  disclosureTable,
  type DisclosureRow,
  type DisclosureTable,
} from './disclosures.ts';
