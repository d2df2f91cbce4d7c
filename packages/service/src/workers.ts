// One server in several processes sharing its port (node:cluster), so that a gateway can use more
// than one core. The primary only forks, watches and stops the workers: each worker runs the
// whole server. When a worker dies the primary stops the others and exits 1, as the stack does
// when one of its processes dies: the supervisor restarts the whole, not a part of it.
import cluster, { type Worker } from 'node:cluster';
import { loggableError } from './errors.ts';
import { stopOnSignals, type RunningServer } from './http.ts';
import type { Logger } from './logger.ts';

/** What a worker runs: a server that listens, and stops when asked. */
export type WorkerServer = Pick<RunningServer, 'url' | 'close'>;

export interface WorkersOptions {
  /** How many processes serve; 1 serves in this process, without forking. */
  count: number;
  log: Logger;
  /** How long a stop may take before the processes are killed. */
  graceMs: number;
}

const STOP = 'passerelle:stop';

interface ReadyMessage {
  ready: string;
}

const isReady = (message: unknown): message is ReadyMessage =>
  typeof message === 'object' &&
  message !== null &&
  typeof Reflect.get(message, 'ready') === 'string';

/**
 * Starts `start` once in this process (count 1) or once in each of `count` workers, and stops it
 * on SIGINT/SIGTERM (a second signal kills at once). Resolves with the URL served once every
 * process listens, in the process that should say so: the primary, or the only process. Resolves
 * with null in a worker.
 */
export async function serveInWorkers(
  options: WorkersOptions,
  start: () => Promise<WorkerServer>,
): Promise<string | null> {
  if (cluster.isWorker) {
    await serveAsWorker(options.log, start);
    return null;
  }
  if (options.count <= 1) {
    const running = await start();
    stopOnSignals(running, options.log, options.graceMs);
    return running.url;
  }
  return superviseWorkers(options);
}

async function serveAsWorker(log: Logger, start: () => Promise<WorkerServer>) {
  // The primary decides when to stop: a Ctrl-C reaches every process of the group, and the
  // workers must not take it as the second, forcing signal once the primary relays it.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  const served: { running?: WorkerServer } = {};
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Asked to stop before it listened: nothing was served yet.
    if (!served.running) process.exit(1);
    served.running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: loggableError(error) }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('message', (message) => {
    if (message === STOP) stop();
  });
  // The primary went away without a word (killed): nobody would stop this worker otherwise.
  process.on('disconnect', stop);
  const running = (served.running = await start());
  if (stopping) return;
  process.send?.({ ready: running.url } satisfies ReadyMessage);
}

async function superviseWorkers(options: WorkersOptions): Promise<string> {
  const { count, log, graceMs } = options;
  const workers: Worker[] = Array.from({ length: count }, () => cluster.fork());
  const alive = () => workers.filter((worker) => !worker.isDead());
  // However the primary ends, no worker outlives it.
  process.on('exit', () => {
    for (const worker of alive()) worker.process.kill('SIGKILL');
  });

  let listening = false;
  let stopping: Promise<void> | undefined;
  const stopWorkers = () =>
    (stopping ??= (async () => {
      const running = alive();
      const exits = running.map(
        (worker) =>
          new Promise<number | null>((resolve) =>
            worker.once('exit', (code: number | null) => resolve(code)),
          ),
      );
      for (const worker of running) worker.send(STOP);
      const codes = await Promise.all(exits);
      if (codes.some((code) => code !== 0)) throw new Error('a worker did not stop cleanly');
    })());

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const why = { pid: worker.process.pid, code, signal };
    if (!listening) {
      // The others have served nothing yet: the exit hook above kills them.
      log.error(why, 'a worker stopped before it listened');
      process.exit(1);
    }
    log.error(why, 'a worker stopped unexpectedly; stopping the others');
    const timer = setTimeout(() => process.exit(1), graceMs);
    timer.unref();
    void stopWorkers()
      .catch(() => {})
      .finally(() => process.exit(1));
  });

  const urls = await Promise.all(workers.map(readyUrl));
  listening = true;
  stopOnSignals({ close: stopWorkers }, log, graceMs);
  return urls[0]!;
}

function readyUrl(worker: Worker): Promise<string> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (!isReady(message)) return;
      worker.off('message', onMessage);
      resolve(message.ready);
    };
    worker.on('message', onMessage);
  });
}
