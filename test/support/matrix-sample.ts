import type { SuiteSize } from './suite-size.js';

/**
 * The cells of one authorization-matrix row that a run checks. At soak
 * strength (CI's `npm run test:soak`): all of them. In `npm test`: one cell
 * per distinct expected answer in the row (allowed, each kind of refusal),
 * the column picked by the run's seed, so every row and every kind of answer
 * is checked on every commit and successive commits walk the other columns.
 */
export function cellsToRun<C extends string, K extends string>(
  row: string,
  cells: Record<C, K>,
  size: SuiteSize,
  seed: number,
): C[] {
  const columns = Object.keys(cells) as C[];
  if (size !== 'quick') return columns;
  const byAnswer = new Map<K, C[]>();
  for (const column of columns) byAnswer.set(cells[column], [...(byAnswer.get(cells[column]) ?? []), column]);
  const chosen = new Set<C>();
  for (const [answer, candidates] of byAnswer) chosen.add(candidates[hash(`${seed}:${row}:${answer}`) % candidates.length]!);
  return columns.filter((column) => chosen.has(column));
}

/** FNV-1a: a stable spread of the (seed, row, answer) choice. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
