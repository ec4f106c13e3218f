import type { Config } from "vega-lite";

/** The font every chart uses; the PNG renderer loads it from the dejavu-fonts-ttf package, so text looks the same everywhere. */
export const FONT_FAMILY = "DejaVu Sans";

/**
 * Okabe–Ito colours (Okabe & Ito 2008), distinguishable with the common colour-vision
 * deficiencies. Reordered so the first schedulers get the colours with the most contrast on
 * white; yellow is last because thin yellow lines are hard to see.
 */
export const OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"] as const;

/**
 * Stage colours: viridis from 0 to 0.8, clearly different from the scheduler colours and safe for
 * colour-blind readers. The ramp stops before its yellow end, which vanishes on white paper.
 */
export const STAGE_COLOURS = ["#440154", "#414487", "#2A788E", "#22A884", "#7AD151"] as const;

/**
 * The print widths a chart is laid out for, in px at 100 px per inch: one paper column (3.3 in)
 * and a figure across two columns (7 in). Every chart must be readable at both (issue 14).
 */
export const CHART_WIDTHS = { column: 330, double: 700 } as const;
export type ChartWidth = keyof typeof CHART_WIDTHS;

/**
 * Plot size in px of a single-plot chart at one column: with its axes about 330 px in total, which
 * at 3.3 in puts 10 px text at about 7.5 pt.
 */
export const PLOT_WIDTH = 250;
export const PLOT_HEIGHT = 160;

/** Shared Vega-Lite config: font, sizes readable at column width, no chart border. */
export const CHART_CONFIG: Config = {
  font: FONT_FAMILY,
  background: "#ffffff",
  padding: 4,
  view: { stroke: null },
  axis: {
    labelFontSize: 9,
    titleFontSize: 10,
    titleFontWeight: "normal",
    labelColor: "#222222",
    titleColor: "#000000",
    gridColor: "#e4e4e4",
    domainColor: "#555555",
    tickColor: "#555555",
  },
  legend: {
    labelFontSize: 9,
    titleFontSize: 10,
    titleFontWeight: "normal",
    symbolSize: 60,
    rowPadding: 2,
    labelLimit: 140,
  },
  header: { labelFontSize: 9, titleFontSize: 10, titleFontWeight: "normal" },
  text: { fontSize: 9 },
  line: { strokeWidth: 1.5 },
};
