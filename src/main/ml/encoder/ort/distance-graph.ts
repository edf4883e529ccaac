// The row distances of model.ts tfDistance as ONNX nodes, with their hand-derived gradients.
// Rows are [m, E]; distances are kept [m, 1] so they broadcast against the rows.
import type { Distance } from '../../../../shared/types.js';
import type { OpGraph } from './graph.js';

/** One pair's distance and what its gradient needs. */
export interface PairDistance {
  d: string;
  /** (da, db) of the distance times the per-row coefficient c [m, 1] (dLoss/dd). */
  grad(c: string): [string, string];
}

/** l2: √(Σ(a−b)² + 1e-12); gradient (a−b)/d. */
function l2(g: OpGraph, a: string, b: string): PairDistance {
  const diff = g.sub(a, b);
  const d = g.sqrt(g.add(g.sum(g.mul(diff, diff), [1]), g.scalar(1e-12)));
  return {
    d,
    grad: (c) => {
      const ja = g.mul(diff, g.div(c, d));
      return [ja, g.neg(ja)];
    },
  };
}

/** l1: Σ|a−b|; gradient: tfjs's Abs gradient, step(x, −1): +1 where a−b > 0, else −1 (also at 0). */
function l1(g: OpGraph, a: string, b: string): PairDistance {
  const diff = g.sub(a, b);
  const d = g.sum(g.op('Abs', [diff]), [1]);
  return {
    d,
    grad: (c) => {
      const sign = g.op('Where', [g.op('Greater', [diff, g.scalar(0)]), g.scalar(1), g.scalar(-1)]);
      const ja = g.mul(sign, c);
      return [ja, g.neg(ja)];
    },
  };
}

/**
 * cosine: 1 − a·b / max(|a||b|, 1e-12). With den the denominator and k = [|a||b| ≥ 1e-12]·(a·b)/den²:
 * ∂d/∂a = −(b/den − k·|b|/|a|·a), ∂d/∂b = −(a/den − k·|a|/|b|·b) (tf.maximum passes its gradient to
 * the first argument where a ≥ b).
 */
function cosine(g: OpGraph, a: string, b: string): PairDistance {
  const dot = g.sum(g.mul(a, b), [1]);
  const na = g.sqrt(g.sum(g.mul(a, a), [1]));
  const nb = g.sqrt(g.sum(g.mul(b, b), [1]));
  const prod = g.mul(na, nb);
  const den = g.op('Max', [prod, g.scalar(1e-12)]);
  const d = g.sub(g.scalar(1), g.div(dot, den));
  return {
    d,
    grad: (c) => {
      const live = g.op('Cast', [g.op('GreaterOrEqual', [prod, g.scalar(1e-12)])], { to: 1 });
      const k = g.mul(live, g.div(dot, g.mul(den, den)));
      const part = (x: string, y: string, nx: string, ny: string): string => g.neg(g.mul(c, g.sub(g.div(y, den), g.mul(g.mul(k, g.div(ny, nx)), x))));
      return [part(a, b, na, nb), part(b, a, nb, na)];
    },
  };
}

export function pairDistance(g: OpGraph, kind: Distance, a: string, b: string): PairDistance {
  if (kind === 'l1') return l1(g, a, b);
  if (kind === 'l2') return l2(g, a, b);
  return cosine(g, a, b);
}
