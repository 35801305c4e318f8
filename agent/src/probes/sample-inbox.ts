// Where probe samples wait for the agent's next batch: probes finish whenever they finish, while
// the agent collects and buffers on its own interval. Bounded: should batches stop being taken,
// the oldest samples go first and are counted, so memory does not grow with the outage.
import type { SampleInput } from '@esmon/schema';

export interface SampleInbox {
  push(samples: readonly SampleInput[]): void;
  /** everything waiting, oldest first; the inbox is then empty */
  take(): SampleInput[];
  /** samples dropped because the inbox was full, since the start */
  dropped(): number;
}

export function createSampleInbox(maxSamples = 100_000): SampleInbox {
  let waiting: SampleInput[] = [];
  let dropped = 0;
  return {
    push(samples) {
      waiting.push(...samples);
      const over = waiting.length - maxSamples;
      if (over > 0) {
        waiting.splice(0, over);
        dropped += over;
      }
    },
    take() {
      const out = waiting;
      waiting = [];
      return out;
    },
    dropped: () => dropped,
  };
}
