/**
 * CDF of a distribution from the log of its characteristic function, by Gil-Pelaez inversion:
 *   F(x) = 1/2 - (1/pi) * integral_0^inf Im[exp(-i t x) phi(t)] / t dt
 *        = 1/2 - (1/pi) * integral_0^inf exp(Re psi(t)) sin(Im psi(t) - t x) / t dt,   psi = log phi.
 * Used by the tests as a route to the stable CDF that shares nothing with the CMS sampler.
 */
import { stableLogCharacteristicFunction, type StableParams } from "../../src/random/stable.js";

export type LogCharacteristicFunction = (t: number) => [number, number];

// Gauss–Kronrod 7/15 nodes and weights on [-1, 1]: QUADPACK qk15 (Piessens et al. 1983).
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926, 0.741531185599394439863864773280788, 0.586087235467691130294144845693013,
  0.405845151377397166906606412076961, 0.207784955007898467600689403773245, 0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518, 0.140653259715525918745189590510238, 0.16900472663926790282658342659855,
  0.190350578064785409913256402421014, 0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
// 7-point Gauss weights for the odd-indexed Kronrod nodes XGK[1], XGK[3], XGK[5], XGK[7]: QUADPACK qk15.
const WG = [0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327];

function gk15(f: (t: number) => number, a: number, b: number): { value: number; error: number } {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  const fc = f(c);
  let kronrod = WGK[7] * fc;
  let gauss = WG[3] * fc;
  for (let j = 0; j < 7; j++) {
    const dx = h * XGK[j];
    const pair = f(c - dx) + f(c + dx);
    kronrod += WGK[j] * pair;
    if (j % 2 === 1) gauss += WG[(j - 1) / 2] * pair;
  }
  return { value: kronrod * h, error: Math.abs((kronrod - gauss) * h) };
}

function adaptive(f: (t: number) => number, a: number, b: number, tol: number, depth: number): number {
  const r = gk15(f, a, b);
  // The Gauss–Kronrod difference overestimates the error of the Kronrod value by orders of magnitude on smooth
  // panels, so accepting at tol keeps the total error well below the sum of the tolerances.
  if (r.error <= tol || depth >= 40) return r.value;
  const m = 0.5 * (a + b);
  return adaptive(f, a, m, tol / 2, depth + 1) + adaptive(f, m, b, tol / 2, depth + 1);
}

export interface InversionOptions {
  /** Integrate from here: below it the integrand's contribution must be negligible. */
  tMin: number;
  /** Integrate up to here: beyond it |phi| must be negligible. */
  tMax: number;
  /** Absolute tolerance handed to each panel. */
  panelTol?: number;
}

/** F(x) by Gil-Pelaez inversion of `logCf`, integrating over [tMin, tMax]. */
export function gilPelaezCdf(logCf: LogCharacteristicFunction, x: number, opts: InversionOptions): number {
  const panelTol = opts.panelTol ?? 1e-12;
  const integrand = (t: number): number => {
    const [re, im] = logCf(t);
    return (Math.exp(re) * Math.sin(im - t * x)) / t;
  };
  // Halving panels from tMax down resolve the t^(alpha-1) or ln t behaviour near 0; each is further cut into
  // pieces no longer than half a period of sin(t x) so that the quadrature never straddles many oscillations.
  const maxWidth = Math.PI / Math.max(Math.abs(x), 1e-300);
  let sum = 0;
  let hi = opts.tMax;
  while (hi > opts.tMin) {
    const lo = Math.max(hi / 2, opts.tMin);
    const pieces = Math.min(1e6, Math.ceil((hi - lo) / maxWidth));
    const w = (hi - lo) / pieces;
    for (let k = 0; k < pieces; k++) sum += adaptive(integrand, lo + k * w, lo + (k + 1) * w, panelTol, 0);
    hi = lo;
  }
  return 0.5 - sum / Math.PI;
}

/** Stable CDF by inversion of `stableLogCharacteristicFunction`. */
export function stableCdfByInversion(p: StableParams, x: number): number {
  // loc enters psi only as i*loc*t in both parameterisations, so invert the loc = 0 law at x - loc: the oscillation
  // rate of the integrand, and hence the panel count, then follows |x - loc| instead of |x|.
  const p0: StableParams = { ...p, loc: 0 };
  // |phi(t)| = exp(-(scale t)^alpha) < 7e-13 once (scale t)^alpha > 28, and the integral beyond is smaller still.
  // Below scale*t = 1e-20 the integrand is O(t^(alpha-1)) at worst, so the neglected piece is O(1e-20^alpha)
  // (1e-10 for alpha = 0.5): the inversion is meant for alpha >= 0.5.
  const tMax = 28 ** (1 / p.alpha) / p.scale;
  const tMin = 1e-20 / p.scale;
  return gilPelaezCdf((t) => stableLogCharacteristicFunction(p0, t), x - p.loc, { tMin, tMax });
}
