import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { DEJAVU_SANS_TTF } from "./font-metrics.js";
import { CHART_PX_PER_INCH } from "./print.js";

/** PDF points per chart px: 72 pt per inch, CHART_PX_PER_INCH px per inch. */
export const PT_PER_PX = 72 / CHART_PX_PER_INCH;

/**
 * The creation date written into every chart PDF. A fixed date, because pdfkit derives the file
 * identifier from the info dictionary: with the clock's date the same chart would give different
 * bytes on every run.
 */
const FIXED_CREATION_DATE = new Date(Date.UTC(2000, 0, 1));

/** The name the font is registered under in the PDF document (pdfkit embeds it as a subset, /FontFile2). */
const PDF_FONT = "DejaVuSans";

/**
 * A chart's SVG -> a one-page vector PDF, the page the chart's printed size (330 px = 3.3 in =
 * 237.6 pt), with DejaVu Sans embedded as a TrueType subset, so the PDF prints and extracts text
 * the same everywhere. pdfkit writes the PDF and svg-to-pdfkit draws the SVG into it, both pure
 * JavaScript (no browser): paths, rules and text stay vectors, no image is made.
 */
export async function renderPdf(svg: string, title: string): Promise<Buffer> {
  const { width, height } = svgSize(svg);
  const doc = new PDFDocument({
    size: [width * PT_PER_PX, height * PT_PER_PX],
    margin: 0,
    autoFirstPage: true,
    info: { Title: title, Creator: "continuum-sim", Producer: "continuum-sim (pdfkit)", CreationDate: FIXED_CREATION_DATE },
  });
  doc.registerFont(PDF_FONT, DEJAVU_SANS_TTF);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });
  const warnings: string[] = [];
  // svg-to-pdfkit takes the root's width="300" as 300 pt whatever the options say: draw px as pt
  // (assumePt) inside a 0.72 scale, so 1 px lands on 0.72 pt.
  doc.scale(PT_PER_PX);
  SVGtoPDF(doc, solidZeroGapDashes(svg), 0, 0, {
    width,
    height,
    assumePt: true,
    // Every chart's text is DejaVu Sans regular (style.ts); a bold or italic request would otherwise fall back to Helvetica, which is not embedded.
    fontCallback: () => PDF_FONT,
    warningCallback: (message) => warnings.push(message),
  });
  doc.end();
  await done;
  if (warnings.length > 0) throw new Error(`the SVG of "${title}" did not convert to PDF cleanly: ${warnings.join("; ")}`);
  return Buffer.concat(chunks);
}

/**
 * vega-lite writes a solid line of a dashed series as stroke-dasharray="1,0" (a zero gap, valid
 * SVG); pdfkit refuses a zero dash length. A dash pattern whose gaps are all zero is a solid line,
 * so the attribute is dropped; a zero dash among non-zero gaps (a dotted round-cap pattern) becomes
 * 0.001 px, which draws the same.
 */
export function solidZeroGapDashes(svg: string): string {
  return svg.replace(/\sstroke-dasharray="([^"]*)"/g, (attribute, list: string) => {
    const values = list
      .split(/[\s,]+/)
      .filter((v) => v !== "")
      .map(Number);
    if (!values.includes(0)) return attribute;
    const pattern = values.length % 2 === 1 ? [...values, ...values] : values;
    if (pattern.every((v, i) => i % 2 === 0 || v === 0)) return "";
    return ` stroke-dasharray="${values.map((v) => (v === 0 ? 0.001 : v)).join(",")}"`;
  });
}

/** The chart's size in px from the root <svg width height> that vega writes. */
export function svgSize(svg: string): { width: number; height: number } {
  const open = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const width = Number(/\swidth="([\d.]+)"/.exec(open)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(open)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error("SVG without a width and height");
  return { width, height };
}
