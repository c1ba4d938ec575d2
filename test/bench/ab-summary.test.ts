// The A/B bench's medians: each side's runs kept in order, medians of odd and even counts, and
// the ratio of this side's median to the other's.
import { describe, expect, it } from 'vitest';
import { summarize } from '../../bench/ab-summary.js';

describe('an A/B summary', () => {
  it('gives each side its runs, its median and the ratio of the medians', () => {
    const s = summarize([
      { side: 'this', figures: { wf: 90 } },
      { side: 'other', figures: { wf: 60 } },
      { side: 'this', figures: { wf: 110 } },
      { side: 'other', figures: { wf: 80 } },
      { side: 'this', figures: { wf: 100 } },
      { side: 'other', figures: { wf: 70 } },
    ]);
    expect(s.pairs).toBe(3);
    expect(s.figures.wf).toEqual({ this: [90, 110, 100], other: [60, 80, 70], median_this: 100, median_other: 70, this_over_other: 1.43 });
  });

  it('takes the mean of the middle two for an even count, per figure', () => {
    const s = summarize([
      { side: 'this', figures: { p99: 30, rate: 1 } },
      { side: 'other', figures: { p99: 10, rate: 2 } },
      { side: 'this', figures: { p99: 20, rate: 3 } },
      { side: 'other', figures: { p99: 40, rate: 4 } },
    ]);
    expect(s.figures.p99).toMatchObject({ median_this: 25, median_other: 25, this_over_other: 1 });
    expect(s.figures.rate).toMatchObject({ median_this: 2, median_other: 3, this_over_other: 0.67 });
  });
});
