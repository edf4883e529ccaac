// A share as a percentage, as the CLI and the app print it. Rounding must not claim what is not
// true: one mistake in 2,000 test triplets is 99.95%, and "100.0%" would say there were none. So a
// share that is not exactly 1 (or 0) gets as many more digits as it needs to read below 100% (above 0%).

const MAX_DIGITS = 6;

/** `x` (a fraction) as "93.7%", with `digits` decimals, or more when fewer would round it to 0% or 100%. */
export function percentText(x: number, digits = 1): string {
  let d = digits;
  let text = (x * 100).toFixed(d);
  while (d < MAX_DIGITS && ((x < 1 && Number(text) >= 100) || (x > 0 && Number(text) <= 0))) text = (x * 100).toFixed(++d);
  return `${text}%`;
}
