import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import * as vl from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import { DEJAVU_SANS_TTF, dejavuSansMetrics } from "./font-metrics.js";
import { withPngDpi } from "./png-dpi.js";
import { CHART_PX_PER_INCH, DEFAULT_DPI } from "./print.js";
import { FONT_FAMILY } from "./style.js";

/** PNG pixels per chart px at the default dpi: a 330 px chart (3.3 in) becomes 990 px. */
export const PNG_SCALE = DEFAULT_DPI / CHART_PX_PER_INCH;

/** Collects what vega-lite or vega would log, so a chart that draws with warnings is noticed (tests assert none). */
export class CollectingLogger implements vega.LoggerInterface {
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  private currentLevel = vega.Warn;

  level(): number;
  level(level: number): this;
  level(level?: number): number | this {
    if (level === undefined) return this.currentLevel;
    this.currentLevel = level;
    return this;
  }
  error(...args: unknown[]): this {
    this.errors.push(args.map(String).join(" "));
    return this;
  }
  warn(...args: unknown[]): this {
    this.warnings.push(args.map(String).join(" "));
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

export interface CompiledChart {
  vega: vega.Spec;
  warnings: string[];
}

/** Vega-Lite -> Vega, with the compiler's warnings collected instead of printed. */
export function compileChart(spec: TopLevelSpec): CompiledChart {
  const logger = new CollectingLogger();
  const compiled = vl.compile(spec, { logger });
  return { vega: compiled.spec, warnings: [...logger.warnings, ...logger.errors] };
}

export interface RenderedChart {
  svg: string;
  warnings: string[];
}

/** Vega-Lite spec -> SVG text, headless (no browser, no canvas), with the layout measured in DejaVu Sans. */
export async function renderSvg(spec: TopLevelSpec): Promise<RenderedChart> {
  useDejavuTextMetrics();
  // vega numbers gradient ids with a module-wide counter: without a reset the second rendering of
  // the same chart in a process would say gradient_1 where the first said gradient_0. Charts are
  // therefore rendered one at a time, never concurrently.
  (vega as unknown as { resetSVGDefIds: () => void }).resetSVGDefIds();
  const compiled = compileChart(spec);
  const logger = new CollectingLogger();
  const view = new vega.View(vega.parse(compiled.vega), { renderer: "none", logger, logLevel: vega.Warn });
  try {
    const svg = await view.toSVG();
    return { svg, warnings: [...compiled.warnings, ...logger.warnings, ...logger.errors] };
  } finally {
    view.finalize();
  }
}

/**
 * SVG -> PNG at `dpi` dots per inch of the printed size (chart px at CHART_PX_PER_INCH), with the
 * dpi written into the file (pHYs), DejaVu Sans from the npm package and no system fonts, so the
 * pixels do not depend on the machine.
 */
export function renderPng(svg: string, dpi: number = DEFAULT_DPI): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: dpi / CHART_PX_PER_INCH },
    font: { fontFiles: [DEJAVU_SANS_TTF], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    background: "#ffffff",
  });
  return withPngDpi(resvg.render().asPng(), dpi);
}

interface TextItem {
  fontSize?: number;
  limit?: number;
}

interface TextMetricsHook {
  width: (item: TextItem, text: unknown) => number;
}

let textMetricsInstalled = false;

/**
 * Replaces vega's 0.8 em-per-character estimate with DejaVu Sans advance widths. vega exposes
 * this hook (`textMetrics.width`) for exactly this; its typings do not declare it.
 */
function useDejavuTextMetrics(): void {
  if (textMetricsInstalled) return;
  const metrics = dejavuSansMetrics();
  const hook = (vega as unknown as { textMetrics: TextMetricsHook }).textMetrics;
  hook.width = (item, text) => {
    const value = text === null || text === undefined ? "" : String(text).trim();
    const width = metrics.width(value, item.fontSize ?? 11);
    return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
  textMetricsInstalled = true;
}
