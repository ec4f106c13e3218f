import { readFileSync } from "node:fs";
import subsetFont from "subset-font";
import { DEJAVU_SANS_TTF } from "./font-metrics.js";
import { FONT_FAMILY } from "./style.js";

let dejavu: Buffer | undefined;

/**
 * A standalone chart SVG with its font inside: an @font-face rule whose source is DejaVu Sans
 * subset to the characters the chart's text uses, as a WOFF2 data: URI (3 to 5 kB for a chart;
 * the whole font is 740 kB). Without it, a viewer without DejaVu Sans substitutes another font and
 * the labels no longer fit the layout vega measured. Hinting is dropped (it matters only for small
 * text on low-resolution screens, and halves the size). harfbuzz's subsetter is deterministic, so
 * the same chart gives the same bytes.
 *
 * The HTML report does not use this: it inlines every chart's plain SVG under one page-wide
 * @font-face (src/report/html-page.ts).
 */
export async function embedChartFont(svg: string): Promise<string> {
  const characters = textCharacters(svg);
  if (characters === "") return svg;
  dejavu ??= readFileSync(DEJAVU_SANS_TTF);
  const woff2 = await subsetFont(dejavu, characters, { targetFormat: "woff2", noHinting: true });
  const style = `<defs><style>@font-face{font-family:"${FONT_FAMILY}";src:url(data:font/woff2;base64,${woff2.toString("base64")}) format("woff2");}</style></defs>`;
  const open = /<svg\b[^>]*>/.exec(svg);
  if (open === null) throw new Error("not an SVG: no <svg> element");
  const at = open.index + open[0].length;
  return `${svg.slice(0, at)}${style}${svg.slice(at)}`;
}

/** The distinct characters of the SVG's text (entities decoded), sorted by code point so the subset does not depend on label order. */
export function textCharacters(svg: string): string {
  const characters = new Set<string>();
  for (const match of svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)) {
    for (const char of decodeXmlText(match[1].replace(/<[^>]*>/g, ""))) characters.add(char);
  }
  return [...characters].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0)).join("");
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** XML character data -> text: the five named entities and numeric references (all vega's SVG writer emits). */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === "#") return String.fromCodePoint(name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return NAMED_ENTITIES[name] ?? entity;
  });
}
