// `pnpm start:hive`: the gateway process on Hive Gateway. It reads the Apollo gateway's
// environment (gateway/src/config.ts), so one configuration serves either engine; only the
// default port differs (4100), so that both can run beside the same subgraphs.
import { createLogger, serveInWorkers } from '@passerelle/service';
// @passerelle/gateway exports its server only: its environment module is read in place.
import { gatewayEnv, gatewayOptions } from '../../gateway/src/config.ts';

const started = performance.now();
const env = gatewayEnv({ PORT: '4100', ...process.env });
const log = createLogger('gateway-hive', env.LOG_LEVEL);
const url = await serveInWorkers(
  { count: env.GATEWAY_WORKERS, log, graceMs: env.SHUTDOWN_GRACE_MS + 10_000 },
  // Imported here, so that a primary that only supervises workers does not load the gateway.
  async () => {
    // Hive's own logger is given our level (gateway.ts, hiveLogger) but still reads LOG_LEVEL,
    // and refuses to start on pino's `silent` and `fatal`, which it does not know. Narrowed here,
    // in the process that serves, once its own level is read: a primary's workers read theirs.
    if (env.LOG_LEVEL === 'silent' || env.LOG_LEVEL === 'fatal') process.env['LOG_LEVEL'] = 'error';
    const { startHiveGateway } = await import('./gateway.ts');
    return startHiveGateway(gatewayOptions(env, log));
  },
);
if (url) {
  const startMs = Math.round(performance.now() - started);
  log.info({ url, workers: env.GATEWAY_WORKERS, startMs }, 'gateway ready');
}
