// Values a subgraph keeps across requests (the partners it serves): read once, shared while
// fresh, read again once stale, and never kept when the read failed.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import { refreshingValue, SERVED_PARTNERS_MAX_AGE_MS } from '../src/loaders.ts';

/** A load that counts its calls and answers with the call's number. */
function countingLoad() {
  const load = async () => {
    load.calls += 1;
    return load.calls;
  };
  load.calls = 0;
  return load;
}

describe('refreshingValue', () => {
  it('loads on first use and reuses the value within its max age', async () => {
    const clock = new ManualClock();
    const load = countingLoad();
    const served = refreshingValue(load, { clock, maxAgeMs: 1000 });
    expect(load.calls).toBe(0);

    const [first, concurrent] = await Promise.all([served(), served()]);
    expect([first, concurrent]).toEqual([1, 1]);
    clock.advance(999);
    expect(await served()).toBe(1);
    expect(load.calls).toBe(1);
  });

  it('loads again once the value has reached its max age', async () => {
    const clock = new ManualClock();
    const load = countingLoad();
    const served = refreshingValue(load, { clock, maxAgeMs: 1000 });
    expect(await served()).toBe(1);

    clock.advance(1000);
    expect(await served()).toBe(2);
    clock.advance(500);
    expect(await served()).toBe(2);
    expect(load.calls).toBe(2);
  });

  it('keeps served partners for a minute by default', async () => {
    const clock = new ManualClock();
    const load = countingLoad();
    const served = refreshingValue(load, { clock });
    await served();
    clock.advance(SERVED_PARTNERS_MAX_AGE_MS - 1);
    expect(await served()).toBe(1);
    clock.advance(1);
    expect(await served()).toBe(2);
    expect(SERVED_PARTNERS_MAX_AGE_MS).toBe(60_000);
  });

  it('does not keep a failed load: the next call tries again', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const served = refreshingValue(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('database unavailable');
        return ['partner-a'];
      },
      { clock, maxAgeMs: 60_000 },
    );

    await expect(served()).rejects.toThrow('database unavailable');
    // Same instant: a failure is not remembered for the rest of the minute.
    expect(await served()).toEqual(['partner-a']);
    expect(await served()).toEqual(['partner-a']);
    expect(calls).toBe(2);
  });
});
