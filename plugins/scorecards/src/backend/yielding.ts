/**
 * Runs `fn` over `items`, giving the event loop a turn (HTTP requests, health checks, timers)
 * whenever more than `sliceMs` of synchronous work has gone by since the last turn. Evaluating a
 * page of entities is synchronous work; without this one page could hold the server for seconds.
 */
export async function forEachYielding<T>(
  items: Iterable<T>,
  fn: (item: T) => void,
  options: { sliceMs?: number; clock?: () => number; yieldTurn?: () => Promise<void> } = {},
): Promise<number> {
  const sliceMs = options.sliceMs ?? 20;
  const clock = options.clock ?? (() => performance.now());
  const yieldTurn = options.yieldTurn ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  let turns = 0;
  let sliceStart = clock();
  for (const item of items) {
    if (clock() - sliceStart > sliceMs) {
      await yieldTurn();
      turns++;
      sliceStart = clock();
    }
    fn(item);
  }
  return turns;
}
