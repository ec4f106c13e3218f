import { dejavuSansMetrics } from "../font-metrics.js";
import { CHART_WIDTHS, type ChartWidth, PLOT_HEIGHT, PLOT_WIDTH } from "../style.js";

/**
 * Layout shared by the frame charts: plot sizes per print width, axes whose tick labels never
 * touch, percent axes, and legends below the plot with as many columns as fit. Text widths are
 * measured in DejaVu Sans (the font the charts are drawn in), so "fits" means what is printed.
 */

/** Axis tick labels and legend labels, px (CHART_CONFIG's axis.labelFontSize and legend.labelFontSize). */
export const LABEL_FONT_SIZE = 9;

/**
 * Numbers on every axis: thousands separators, no trailing zeros ("200,000", "0.5", "25"). The
 * precision is explicit because vega otherwise derives one from the tick step and prints 25 as "30".
 */
export const NUMBER_FORMAT = ",.6~r";

/**
 * The plot area (inside the axes) of a single-panel chart: at one column it leaves about 80 px
 * for the y axis; across two columns the plot is wider and taller, not the text larger.
 */
export const PLOT_SIZES: Record<ChartWidth, { width: number; height: number }> = {
  column: { width: PLOT_WIDTH, height: PLOT_HEIGHT },
  double: { width: 600, height: 240 },
};

/** Minimum gap between two tick labels along an x axis, px. */
const X_LABEL_GAP = 6;
/** Minimum gap between two tick labels along a y axis, px (labels are one line of LABEL_FONT_SIZE). */
const Y_LABEL_GAP = 3;

/** `value` as NUMBER_FORMAT prints it (same digits for the 1-2-5 values used as ticks). */
export function formatNumber(value: number): string {
  return value.toLocaleString("en-US", { maximumSignificantDigits: 6 });
}

export function textWidth(text: string, fontSize = LABEL_FONT_SIZE): number {
  return dejavuSansMetrics().width(text, fontSize);
}

/** Do labels at these pixel positions overlap or come closer than the gap? */
function crowded(ticks: readonly number[], position: (v: number) => number, orient: "x" | "y"): boolean {
  for (let i = 1; i < ticks.length; i++) {
    const distance = Math.abs(position(ticks[i]) - position(ticks[i - 1]));
    const needed = orient === "x" ? (textWidth(formatNumber(ticks[i])) + textWidth(formatNumber(ticks[i - 1]))) / 2 + X_LABEL_GAP : LABEL_FONT_SIZE + Y_LABEL_GAP;
    if (distance < needed) return true;
  }
  return false;
}

/** Tick candidates on a log axis, densest first: 1-2-5 per decade, 1-3, 1, then every 2nd, 3rd... decade. */
const LOG_MANTISSAS = [[1, 2, 5], [1, 3], [1]] as const;

function ticksWithin(domain: readonly [number, number], mantissas: readonly number[], decadeStride: number): number[] {
  const ticks: number[] = [];
  const firstExponent = Math.floor(Math.log10(domain[0]));
  for (let exponent = firstExponent; 10 ** exponent <= domain[1]; exponent++) {
    if ((exponent - firstExponent) % decadeStride !== 0 && mantissas.length === 1) continue;
    for (const m of mantissas) {
      const tick = Number((m * 10 ** exponent).toPrecision(6));
      if (tick >= domain[0] && tick <= domain[1]) ticks.push(tick);
    }
  }
  return ticks;
}

/**
 * The densest 1-2-5 style tick values on a log axis of `lengthPx` whose labels (NUMBER_FORMAT)
 * do not touch: vega's own log ticks print "20 50 100" and "50000 200000" edge to edge at one
 * column. At least the two ends' decades are kept.
 */
export function logAxisTicks(domain: readonly [number, number], lengthPx: number, orient: "x" | "y"): number[] {
  const span = Math.log10(domain[1]) - Math.log10(domain[0]);
  const position = (v: number): number => ((Math.log10(v) - Math.log10(domain[0])) / span) * lengthPx;
  const candidates: number[][] = LOG_MANTISSAS.map((m) => ticksWithin(domain, m, 1));
  for (let stride = 2; stride <= Math.max(2, Math.ceil(span)); stride++) candidates.push(ticksWithin(domain, [1], stride));
  for (const ticks of candidates) if (ticks.length >= 2 && !crowded(ticks, position, orient)) return ticks;
  return candidates[candidates.length - 1];
}

/** A log axis with readable ticks: explicit values (tickCount keeps vega from thinning them) printed with separators. */
export function logAxis(domain: readonly [number, number], lengthPx: number, orient: "x" | "y"): { values: number[]; tickCount: number; format: string } {
  const values = logAxisTicks(domain, lengthPx, orient);
  return { values, tickCount: values.length, format: NUMBER_FORMAT };
}

/** Log scale when the positive values span more than `factor` (default: over a decade and a half). */
export function spansDecades(values: readonly number[], factor = 30): boolean {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return false;
  return Math.max(...positive) / Math.min(...positive) > factor;
}

/** A rate as a percentage (0-100): "%" goes into the axis title once, the ticks are plain numbers. */
export function percent(rate: number): number {
  return Math.round(rate * 1e6) / 1e4;
}

/** A percent axis over [0, top] (top at most 100), ticks every 10 or 20 or 25 or 50 %. */
export function percentScale(maxPercent: number): { domain: [number, number]; nice: false } {
  const steps = [1, 2, 5, 10, 20, 25, 50, 100];
  const top = Math.min(100, steps.find((s) => s >= maxPercent) ?? 100);
  return { domain: [0, maxPercent <= 0 ? 1 : top], nice: false };
}

/**
 * A legend below the plot (or above a grid of panels whose common axis title goes below), as many
 * columns as the longest label allows in the print width (more at two columns): outside the
 * data, one line for a few entries, never wider than the figure.
 */
export function bottomLegend(
  labels: readonly string[],
  width: ChartWidth,
  orient: "bottom" | "top" = "bottom",
): { orient: "bottom" | "top"; direction: "horizontal"; columns: number; labelLimit: number } {
  const available = CHART_WIDTHS[width] - 20;
  const longest = Math.max(0, ...labels.map((label) => textWidth(label)));
  // Symbol (about 12 px), its offset (4 px) and the column padding (10 px) beside each label.
  const entry = Math.ceil(longest) + 26;
  const columns = Math.max(1, Math.min(labels.length, Math.floor(available / entry)));
  return { orient, direction: "horizontal", columns, labelLimit: Math.ceil(longest) + 2 };
}
