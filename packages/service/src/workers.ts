// One server in several processes sharing its port (node:cluster), so that a gateway can use more
// than one core. Each worker runs the whole server; the primary answers no request: it forks,
// watches and stops the workers, and node:cluster hands each connection it accepts to a worker in
// turn. When a worker dies the primary stops the others and exits 1, as the stack does when one
// of its processes dies: the supervisor restarts the whole, not a part of it.
import cluster, { type Worker } from 'node:cluster';
import { closeThenExit, stopOnSignals, type RunningServer } from './http.ts';
import type { Logger } from './logger.ts';

/** What a worker runs: a server that listens, and stops when asked. */
export type WorkerServer = Pick<RunningServer, 'url' | 'close'>;

export interface WorkersOptions {
  /** How many processes serve; 1 serves in this process, without forking. */
  count: number;
  log: Logger;
  /** How long a stop may take before the processes are killed. */
  graceMs: number;
  /** How long the workers may take to listen (60 s when omitted). */
  readyTimeoutMs?: number;
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
    await serveAsWorker(options, start);
    return null;
  }
  if (options.count <= 1) {
    const running = await start();
    stopOnSignals(running, options.log, options.graceMs);
    return running.url;
  }
  return superviseWorkers(options);
}

async function serveAsWorker(options: WorkersOptions, start: () => Promise<WorkerServer>) {
  const { log, graceMs } = options;
  let running: WorkerServer | undefined = undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Asked to stop before it listened: nothing was served yet.
    if (!running) process.exit(0);
    closeThenExit(running, log, graceMs);
  };
  // While the primary is there it decides when to stop: a Ctrl-C reaches every process of the
  // group, and the workers must not take it as the second, forcing signal once the primary
  // relays it. A worker whose primary is gone stops on a signal as a lone process does.
  const onSignal = () => {
    if (!process.connected) stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('message', (message) => {
    if (message === STOP) stop();
  });
  // The primary went away without a word (killed): nobody would stop this worker otherwise.
  process.on('disconnect', stop);
  running = await start();
  if (process.connected) process.send?.({ ready: running.url } satisfies ReadyMessage);
}

async function superviseWorkers(options: WorkersOptions): Promise<string> {
  const { count, log, graceMs } = options;
  const workers: Worker[] = Array.from({ length: count }, () => cluster.fork());
  const alive = () => workers.filter((worker) => !worker.isDead());
  // However the primary exits, no worker outlives it (a primary killed by a signal runs no exit
  // hook: its workers then stop on the disconnect of their channel).
  process.on('exit', () => {
    for (const worker of alive()) worker.process.kill('SIGKILL');
  });

  let failed = false;
  let stopping: Promise<void> | undefined;
  // A message sent before a worker listens for messages is lost: a worker still starting is
  // told to stop once it says it listens.
  const listening = new Set<Worker>();
  const tellToStop = (worker: Worker) => {
    // A worker whose channel closed in between stops by itself on the disconnect.
    if (worker.isConnected()) worker.send(STOP, () => {});
  };
  const stopWorkers = () =>
    (stopping ??= (async () => {
      const running = alive();
      const exits = running.map(
        (worker) =>
          new Promise<number | null>((resolve) =>
            worker.once('exit', (code: number | null) => resolve(code)),
          ),
      );
      for (const worker of running) if (listening.has(worker)) tellToStop(worker);
      const codes = await Promise.all(exits);
      if (failed) throw new Error('a worker stopped unexpectedly');
      if (codes.some((code) => code !== 0)) throw new Error('a worker did not stop cleanly');
    })());
  const fail = (why: Record<string, unknown>, message: string) => {
    failed = true;
    log.error(why, message);
    const timer = setTimeout(() => process.exit(1), graceMs);
    timer.unref();
    void stopWorkers().then(
      () => process.exit(1),
      () => process.exit(1),
    );
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    fail(
      { pid: worker.process.pid, code, signal },
      'a worker stopped unexpectedly; stopping the others',
    );
  });
  // From the first fork: a stop while some workers still start stops each as it comes up.
  stopOnSignals({ close: stopWorkers }, log, graceMs);

  const readyUrl = (worker: Worker) =>
    new Promise<string>((resolve) => {
      const onMessage = (message: unknown) => {
        if (!isReady(message)) return;
        worker.off('message', onMessage);
        listening.add(worker);
        if (stopping) tellToStop(worker);
        resolve(message.ready);
      };
      worker.on('message', onMessage);
    });
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(resolve, readyTimeoutMs, null)));
  const urls = await Promise.race([Promise.all(workers.map(readyUrl)), late]);
  clearTimeout(timer);
  if (!urls && !stopping) fail({ readyTimeoutMs }, 'the workers did not all listen in time');
  // Stopping already: the process ends with the stop, without saying it is ready.
  if (!urls || stopping) return new Promise<never>(() => {});
  return urls[0]!;
}
