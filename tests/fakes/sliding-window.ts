/**
 * What a provider accepted in the last `perMs`, counted the way a strict provider counts: a
 * window that slides with each message, not fixed buckets that a burst could straddle.
 */
export interface SlidingWindow {
  /** Accepts a message at `now` unless `max` were already accepted in the `perMs` up to it. */
  admit(now: number): boolean;
  /** When the oldest message still counted leaves the window. */
  freesAt(now: number): number;
}

export function slidingWindow(max: number, perMs: number): SlidingWindow {
  const accepted: number[] = [];
  const forgetBefore = (now: number) => {
    while (accepted.length > 0 && accepted[0]! <= now - perMs) accepted.shift();
  };
  return {
    admit(now) {
      forgetBefore(now);
      if (accepted.length >= max) return false;
      accepted.push(now);
      return true;
    },
    freesAt(now) {
      forgetBefore(now);
      return (accepted[0] ?? now) + perMs;
    },
  };
}
