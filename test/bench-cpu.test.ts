// The CPU the benchmark reports per operation: read from /proc per process, summed by name
// between two snapshots, whatever processes started or ended in between.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpuMsOf } from '@passerelle/stack';
import { describe, expect, it } from 'vitest';
import { cpuPerOperation, cpuSnapshot, type CpuSnapshot } from '../bench/src/cpu.ts';

const burn = (ms: number) => {
  const until = process.cpuUsage().user / 1000 + ms;
  while (process.cpuUsage().user / 1000 < until) Math.sqrt(Math.random());
};

describe('CPU per operation', () => {
  it.skipIf(process.platform !== 'linux')(
    'reads what a process spent, and nothing once it is gone',
    async () => {
      const before = cpuMsOf(process.pid)!;
      burn(200);
      expect(cpuMsOf(process.pid)! - before).toBeGreaterThanOrEqual(150);

      const child = spawn(process.execPath, ['-e', '']);
      const pid = child.pid!;
      await once(child, 'exit');
      expect(cpuMsOf(pid)).toBeUndefined();
    },
  );

  it.skipIf(process.platform !== 'linux')(
    'counts a named process and the processes it started',
    async () => {
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
      try {
        const snapshot = cpuSnapshot([{ name: 'bench', pid: process.pid }]);
        expect(snapshot.get(process.pid)?.name).toBe('bench');
        expect(snapshot.get(child.pid!)?.name).toBe('bench');
        expect([...snapshot.values()].some((one) => one.name === 'PostgreSQL')).toBe(false);
      } finally {
        child.kill();
      }
    },
  );

  it('divides by the operations, counts a new process from zero and a gone one not at all', () => {
    const before: CpuSnapshot = new Map([
      [1, { name: 'gateway', ms: 1000 }],
      [2, { name: 'PostgreSQL', ms: 500 }],
      [3, { name: 'network', ms: 2000 }],
      [4, { name: 'PostgreSQL', ms: 700 }],
    ]);
    const after: CpuSnapshot = new Map([
      [2, { name: 'PostgreSQL', ms: 600 }],
      [1, { name: 'gateway', ms: 1400 }],
      [3, { name: 'network', ms: 2600 }],
      [5, { name: 'PostgreSQL', ms: 100 }],
    ]);
    expect(cpuPerOperation(before, after, 100)).toEqual([
      { name: 'gateway', ms: 4 },
      { name: 'network', ms: 6 },
      { name: 'PostgreSQL', ms: 2 },
    ]);
    expect(cpuPerOperation(before, after, 0)).toEqual([]);
  });
});
