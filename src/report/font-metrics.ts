import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** DejaVu Sans from the dejavu-fonts-ttf package: the one font the charts use, in SVG text and in PNGs. */
export const DEJAVU_SANS_TTF = createRequire(import.meta.url).resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");

/**
 * Advance widths of DejaVu Sans, read from the font file itself.
 *
 * Without a canvas, vega estimates every character as 0.8 em wide, about a third wider than
 * DejaVu Sans, which pushes axis titles and legends away from what they label. With the real
 * advance widths the layout vega computes matches the text resvg and browsers draw.
 */
export class FontMetrics {
  private readonly advance = new Map<number, number>();
  private readonly unitsPerEm: number;
  private readonly fallbackAdvance: number;

  constructor(font: Buffer) {
    const tables = readTableDirectory(font);
    const head = tables.get("head");
    const hhea = tables.get("hhea");
    const hmtx = tables.get("hmtx");
    const cmap = tables.get("cmap");
    if (head === undefined || hhea === undefined || hmtx === undefined || cmap === undefined) throw new Error("font lacks head/hhea/hmtx/cmap tables");
    this.unitsPerEm = font.readUInt16BE(head + 18);
    const metricsCount = font.readUInt16BE(hhea + 34);
    const glyphAdvance = (glyph: number): number => font.readUInt16BE(hmtx + 4 * Math.min(glyph, metricsCount - 1));
    for (const [codePoint, glyph] of readCmapFormat4(font, cmap)) this.advance.set(codePoint, glyphAdvance(glyph));
    this.fallbackAdvance = glyphAdvance(0);
  }

  /** Width in px of `text` at `fontSize` px. */
  width(text: string, fontSize: number): number {
    let units = 0;
    for (const char of text) units += this.advance.get(char.codePointAt(0) ?? 0) ?? this.fallbackAdvance;
    return (units / this.unitsPerEm) * fontSize;
  }
}

let shared: FontMetrics | undefined;

export function dejavuSansMetrics(): FontMetrics {
  shared ??= new FontMetrics(readFileSync(DEJAVU_SANS_TTF));
  return shared;
}

function readTableDirectory(font: Buffer): Map<string, number> {
  const tables = new Map<string, number>();
  const numTables = font.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + 16 * i;
    tables.set(font.toString("latin1", record, record + 4), font.readUInt32BE(record + 8));
  }
  return tables;
}

/** Code point -> glyph id from the Unicode BMP subtable (platform 3, encoding 1, format 4). */
function readCmapFormat4(font: Buffer, cmap: number): Map<number, number> {
  const map = new Map<number, number>();
  const subtables = font.readUInt16BE(cmap + 2);
  for (let i = 0; i < subtables; i++) {
    const platform = font.readUInt16BE(cmap + 4 + 8 * i);
    const encoding = font.readUInt16BE(cmap + 6 + 8 * i);
    const offset = cmap + font.readUInt32BE(cmap + 8 + 8 * i);
    if (platform !== 3 || encoding !== 1 || font.readUInt16BE(offset) !== 4) continue;
    const segments = font.readUInt16BE(offset + 6) / 2;
    const ends = offset + 14;
    const starts = ends + 2 * segments + 2;
    const deltas = starts + 2 * segments;
    const rangeOffsets = deltas + 2 * segments;
    for (let s = 0; s < segments; s++) {
      const end = font.readUInt16BE(ends + 2 * s);
      const start = font.readUInt16BE(starts + 2 * s);
      const delta = font.readInt16BE(deltas + 2 * s);
      const rangeOffset = font.readUInt16BE(rangeOffsets + 2 * s);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let glyph: number;
        if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
        else {
          const at = rangeOffsets + 2 * s + rangeOffset + 2 * (c - start);
          const raw = font.readUInt16BE(at);
          glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
        }
        if (glyph !== 0) map.set(c, glyph);
      }
    }
    return map;
  }
  return map;
}
