import { createLogger, serveInWorkers } from '@passerelle/service';
import { gatewayEnv, gatewayOptions } from './config.ts';

const started = performance.now();
const env = gatewayEnv(process.env);
const log = createLogger('gateway', env.LOG_LEVEL);
const url = await serveInWorkers(
  { count: env.GATEWAY_WORKERS, log, graceMs: env.SHUTDOWN_GRACE_MS + 10_000 },
  // Imported here, so that a primary that only supervises workers does not load the gateway.
  async () => {
    const { startGateway } = await import('./gateway.ts');
    return startGateway(gatewayOptions(env, log));
  },
);
if (url) {
  const startMs = Math.round(performance.now() - started);
  log.info({ url, workers: env.GATEWAY_WORKERS, startMs }, 'gateway ready');
}
