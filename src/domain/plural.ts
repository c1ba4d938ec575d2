/** "1 unit", "3 units": a count and its noun, for the texts Clario writes (cases, reminders, packets). Pure. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
