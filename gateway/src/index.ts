import { readFileSync } from 'node:fs';
import { createLogger, stopOnSignals } from '@passerelle/service';
import { gatewayEnv } from './config.ts';
import { startGateway } from './gateway.ts';

const started = performance.now();
const env = gatewayEnv(process.env);
const log = createLogger('gateway', env.LOG_LEVEL);
const running = await startGateway({
  supergraphSdl: readFileSync(env.SUPERGRAPH_PATH, 'utf8'),
  subgraphUrls: env.subgraphUrls,
  jwt: env.jwt,
  signingKeyFor: env.signingKeyFor,
  log,
  host: env.HOST,
  port: env.PORT,
  production: env.production,
  limits: env.limits,
  subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
  requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
  shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
});
log.info({ url: running.url, startMs: Math.round(performance.now() - started) }, 'gateway ready');
stopOnSignals(running, log);
