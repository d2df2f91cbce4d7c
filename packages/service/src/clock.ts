// Where "now" comes from. Rules that depend on time (a referral's response deadline) read it from
// a clock handed to the subgraph, so that tests can move time instead of editing rows.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until told to move; for tests and rehearsals. */
export class ManualClock implements Clock {
  private instant: number;

  constructor(start: Date = new Date()) {
    this.instant = start.getTime();
  }

  now(): Date {
    return new Date(this.instant);
  }

  set(instant: Date): void {
    this.instant = instant.getTime();
  }

  advance(ms: number): void {
    this.instant += ms;
  }
}
