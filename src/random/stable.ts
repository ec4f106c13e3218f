/**
 * Alpha-stable variates by the Chambers–Mallows–Stuck (CMS) method, with the
 * same parameterisations and location conventions as SciPy's
 * `scipy.stats.levy_stable` (Nolan's S1 = Samorodnitsky–Taqqu, SciPy's default,
 * and Nolan's S0). See docs/stable-distribution.md for the formulas.
 */

export type StableParameterization = "S0" | "S1";

export interface StableParams {
  alpha: number;
  beta: number;
  scale: number;
  loc: number;
  parameterization: StableParameterization;
}

const HALF_PI = Math.PI / 2;
const TWO_OVER_PI = 2 / Math.PI;
// Stand-ins for u = 0 and u >= 1: in (0, 1), and V = pi*(u - 1/2) stays strictly inside (-pi/2, pi/2) in floating point.
const U_MIN = 2 ** -53;
const U_MAX = 1 - 2 ** -53;

/** Validates (0 < alpha <= 2, -1 <= beta <= 1, scale > 0, finite loc) and throws RangeError with a clear message otherwise. */
export function checkStableParams(p: StableParams): void {
  const { alpha, beta, scale, loc, parameterization } = p;
  // Negated comparisons so that NaN fails every check.
  if (!(alpha > 0 && alpha <= 2)) {
    throw new RangeError(`stable: alpha must satisfy 0 < alpha <= 2, got ${alpha}`);
  }
  if (!(beta >= -1 && beta <= 1)) {
    throw new RangeError(`stable: beta must satisfy -1 <= beta <= 1, got ${beta}`);
  }
  if (!(scale > 0 && Number.isFinite(scale))) {
    throw new RangeError(`stable: scale must be finite and > 0, got ${scale}`);
  }
  if (!Number.isFinite(loc)) {
    throw new RangeError(`stable: loc must be finite, got ${loc}`);
  }
  if (parameterization !== "S0" && parameterization !== "S1") {
    throw new RangeError(`stable: parameterization must be "S0" or "S1", got ${String(parameterization)}`);
  }
}

/**
 * tan(pi*alpha/2), exactly 0 at alpha = 2: in floating point tan(pi) is -1.2e-16,
 * which would leave a spurious beta dependence in the Gaussian case.
 */
function tanPiAlphaOver2(alpha: number): number {
  return alpha === 2 ? 0 : Math.tan(HALF_PI * alpha);
}

/** Maps a [0,1) draw into the open interval so that V never reaches -pi/2 and W = -ln(u) stays finite and > 0. */
function openUnit(u: number): number {
  if (u <= 0) return U_MIN;
  if (u >= 1) return U_MAX;
  return u;
}

/** A sampler drawing one variate from two calls to `uniform` (which returns numbers in [0,1)). Precompute every constant once; no allocation per draw. */
export function makeStableSampler(p: StableParams, uniform: () => number): () => number {
  checkStableParams(p);
  const { alpha, beta, scale, loc, parameterization } = p;

  if (alpha === 1) {
    // Weron (1996) / Nolan: Y = (2/pi)[(pi/2 + bV) tan V - b ln((pi/2) W cos V / (pi/2 + bV))] is S1(1, b, 1, 0).
    // scale*Y has S1 location -(2/pi) b scale ln(scale) (alpha = 1 is not scale-equivariant in S1), while it is
    // exactly S0(1, b, scale, 0); hence the S1 shift below and no shift in S0.
    const shift = parameterization === "S1" ? loc + TWO_OVER_PI * beta * scale * Math.log(scale) : loc;
    return () => {
      const v = Math.PI * (openUnit(uniform()) - 0.5);
      const w = -Math.log(openUnit(uniform()));
      const a = HALF_PI + beta * v;
      const y = TWO_OVER_PI * (a * Math.tan(v) - beta * Math.log((HALF_PI * w * Math.cos(v)) / a));
      return scale * y + shift;
    };
  }

  // Weron (1996), corrected form: with B = atan(b tan(pi a/2)) and S = (1 + b^2 tan^2(pi a/2))^(1/(2a)),
  // Y = S sin(aV + B) / cos(V)^(1/a) * (cos(V - aV - B) / W)^((1-a)/a) is S1(a, b, 1, 0).
  const tanPA = tanPiAlphaOver2(alpha);
  const bigB = Math.atan(beta * tanPA);
  const mult = scale * (1 + beta * beta * tanPA * tanPA) ** (1 / (2 * alpha));
  const invAlpha = 1 / alpha;
  const expo = (1 - alpha) / alpha;
  // S0 location = S1 location + b*scale*tan(pi a/2) (Nolan), so an S0 variate is scale*(Y - b tan) + loc.
  const shift = parameterization === "S1" ? loc : loc - beta * scale * tanPA;
  // The two powers are folded into one exp of logs: Math.pow with a fractional exponent costs ~70 ns in V8,
  // about three times exp + log, and this is the simulator's hot path.
  return () => {
    const v = Math.PI * (openUnit(uniform()) - 0.5);
    const logW = Math.log(-Math.log(openUnit(uniform())));
    const av = alpha * v + bigB;
    const logTerm = expo * (Math.log(Math.cos(v - av)) - logW) - invAlpha * Math.log(Math.cos(v));
    return mult * Math.sin(av) * Math.exp(logTerm) + shift;
  };
}

/** Characteristic function log: returns [re, im] of log E[exp(i t X)] for the given params and parameterization (used by tests and by the docs). */
export function stableLogCharacteristicFunction(p: StableParams, t: number): [number, number] {
  checkStableParams(p);
  const { alpha, beta, scale, loc, parameterization } = p;
  if (t === 0) return [0, 0];
  const st = scale * t;
  const abs = Math.abs(st);
  const re = -(abs ** alpha);
  let im: number;
  if (alpha === 1) {
    // S1: -scale|t| i b (2/pi) sign(t) ln|t|;  S0: the same with ln(scale |t|).
    const logArg = parameterization === "S1" ? Math.abs(t) : abs;
    im = -TWO_OVER_PI * beta * st * Math.log(logArg);
  } else {
    const tanPA = tanPiAlphaOver2(alpha);
    const sgnPow = Math.sign(t) * abs ** alpha;
    // S1: +(scale|t|)^a b sign(t) tan;  S0: -b tan sign(t)(scale|t|)^a (|scale t|^(1-a) - 1), written without the
    // cancelling power so it stays accurate for small |t|.
    im = parameterization === "S1" ? beta * tanPA * sgnPow : -beta * tanPA * (st - sgnPow);
  }
  return [re, im + loc * t];
}
