// The medians of an A/B run (bench/ab.ts), kept pure so that it is tested on its own.

export interface Run {
  readonly side: 'this' | 'other';
  readonly figures: Readonly<Record<string, number>>;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const round = (n: number) => Math.round(n * 100) / 100;

/** Per figure: each side's runs in order, their medians, and this side's median over the other's. */
export function summarize(runs: readonly Run[]) {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.figures)))];
  return {
    pairs: Math.min(...(['this', 'other'] as const).map((side) => runs.filter((r) => r.side === side).length)),
    figures: Object.fromEntries(
      names.map((name) => {
        const of = (side: Run['side']) => runs.filter((r) => r.side === side && name in r.figures).map((r) => r.figures[name]!);
        const [mine, theirs] = [of('this'), of('other')];
        const m = mine.length > 0 ? median(mine) : NaN;
        const t = theirs.length > 0 ? median(theirs) : NaN;
        return [name, { this: mine, other: theirs, median_this: round(m), median_other: round(t), this_over_other: round(m / t) }];
      }),
    ),
  };
}
