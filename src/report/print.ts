import { InputError } from "../errors.js";
import { CHART_WIDTHS, type ChartWidth } from "./style.js";

/*
 * The print settings of a report (--width, --dpi): constants and their checks, kept apart from the
 * renderers so the CLI can refuse a bad value before a run starts without loading vega or resvg.
 */

/**
 * Chart px per printed inch: the charts are laid out for print at this density (CHART_WIDTHS in
 * style.ts: 330 px = one 3.3 in column), so a PDF page is 0.72 pt per px and a PNG at N dpi has
 * N / 100 pixels per px.
 */
export const CHART_PX_PER_INCH = 100;

/** PNG resolution in dots per inch of the printed size (--dpi): 300 dpi, what journals ask of line art at minimum. */
export const DEFAULT_DPI = 300;

/** The dpi a user may ask for: below 50 text is unreadable, above 2400 a column chart is a 60-megapixel image. */
export const DPI_RANGE = { min: 50, max: 2400 } as const;

export const REPORT_WIDTHS = Object.keys(CHART_WIDTHS) as ChartWidth[];

/** The print width charts are laid out for when no --width is given: one paper column (3.3 in). */
export const DEFAULT_REPORT_WIDTHS: readonly ChartWidth[] = ["column"];

/** --width and --dpi of a report, checked. */
export interface PrintOptions {
  widths: ChartWidth[];
  dpi: number;
}

/** --width ("column", "double" or "column,double") and --dpi, checked: a bad value is bad input (exit 2). */
export function printOptions(args: { width?: string; dpi?: number }): PrintOptions {
  return { widths: args.width === undefined ? [...DEFAULT_REPORT_WIDTHS] : parseNameList("--width", args.width, REPORT_WIDTHS), dpi: checkDpi(args.dpi) };
}

/** A comma-separated list of known names -> those names in the known order; an unknown name or an empty list is bad input. */
export function parseNameList<T extends string>(flag: string, text: string, known: readonly T[]): T[] {
  const names = text
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !(known as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new InputError(flag, [{ path: "", value: text, expected: `a comma-separated list of ${known.join(", ")}` }]);
  }
  return known.filter((name) => names.includes(name));
}

function checkDpi(dpi: number | undefined): number {
  if (dpi === undefined) return DEFAULT_DPI;
  if (!Number.isInteger(dpi) || dpi < DPI_RANGE.min || dpi > DPI_RANGE.max) {
    throw new InputError("--dpi", [{ path: "", value: dpi, expected: `a whole number of dots per inch from ${DPI_RANGE.min} to ${DPI_RANGE.max}` }]);
  }
  return dpi;
}
