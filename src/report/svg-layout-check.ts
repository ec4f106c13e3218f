import { CHART_PX_PER_INCH } from "./print.js";
import { CHART_WIDTHS, type ChartWidth } from "./style.js";
import type { Box, ChartGeometry, TextBox } from "./svg-geometry.js";

/*
 * The layout rules every chart must pass at both print widths (issue 14), checked on the geometry
 * read from its rendered SVG (svg-geometry.ts). Each problem is one sentence naming the texts or
 * the mark, for the chart's author to act on.
 */

/** A page's text block is about 9 in tall: no figure may be taller. */
export const PAGE_HEIGHT_PX = 9 * CHART_PX_PER_INCH;

/** A one-column figure taller than 1.5 times its width eats the column (the stage breakdown was 12 in at 3.3 in wide). */
export const COLUMN_MAX_ASPECT = 1.5;

/** Overlaps and overhangs smaller than this are rounding (vega snaps axes to half pixels), not a problem a reader can see. */
const TOLERANCE_PX = 0.5;

/** A mark may reach this far past its plot area: half the widest stroke (1.5 px lines, 1 px rules). */
const MARK_TOLERANCE_PX = 1;

export interface LayoutLimits {
  maxWidth: number;
  maxHeight: number;
}

export function layoutLimits(width: ChartWidth): LayoutLimits {
  return { maxWidth: CHART_WIDTHS[width], maxHeight: width === "column" ? COLUMN_MAX_ASPECT * CHART_WIDTHS.column : PAGE_HEIGHT_PX };
}

/**
 * Every layout problem of a chart: (a) two texts (tick and axis labels, titles, legend labels, text
 * marks) whose boxes overlap; a legend, axis or title text that lies on a plot area, over the data;
 * a text cut off at the chart's edge; (b) a data mark (not a text mark: a label) that draws outside
 * its plot area (unless clipped to it); (c) a chart wider than its print width or taller than the
 * limit.
 */
export function checkChartLayout(geometry: ChartGeometry, limits: LayoutLimits, widthName: string): string[] {
  const problems: string[] = [];
  const texts = geometry.texts;
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      if (penetration(texts[i].corners, texts[j].corners) > TOLERANCE_PX) problems.push(`text ${quote(texts[i])} overlaps ${quote(texts[j])}`);
    }
  }
  for (const text of texts) {
    if (text.role === "mark") continue;
    if (geometry.plotAreas.some((area) => penetration(text.corners, corners(shrink(area, MARK_TOLERANCE_PX))) > TOLERANCE_PX))
      problems.push(`${text.role} text ${quote(text)} lies on a plot area, over the data`);
  }
  const canvas: Box = { x0: 0, y0: 0, x1: geometry.width, y1: geometry.height };
  for (const text of texts) {
    if (text.x0 < canvas.x0 - TOLERANCE_PX || text.y0 < canvas.y0 - TOLERANCE_PX || text.x1 > canvas.x1 + TOLERANCE_PX || text.y1 > canvas.y1 + TOLERANCE_PX) {
      problems.push(`text ${quote(text)} is cut off at the chart's edge`);
    }
  }
  const outside = new Map<string, { count: number; worst: number; x: number; y: number }>();
  for (const mark of geometry.marks) {
    // A text mark is a label (a value on a bar, "deadline" at a rule's end): it may sit just outside the plot; its box is checked with the texts instead.
    if (mark.clipped || mark.area === undefined || /\bmark-text\b/.test(mark.mark)) continue;
    const beyond = Math.max(mark.area.x0 - mark.x, mark.x - mark.area.x1, mark.area.y0 - mark.y, mark.y - mark.area.y1);
    if (beyond <= MARK_TOLERANCE_PX) continue;
    const name = markName(mark.mark);
    const entry = outside.get(name) ?? { count: 0, worst: 0, x: mark.x, y: mark.y };
    entry.count++;
    if (beyond > entry.worst) Object.assign(entry, { worst: beyond, x: mark.x, y: mark.y });
    outside.set(name, entry);
  }
  for (const [name, entry] of [...outside].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    problems.push(`${name}: ${entry.count} point(s) outside the plot area, up to ${entry.worst.toFixed(1)} px (at ${entry.x.toFixed(1)}, ${entry.y.toFixed(1)})`);
  }
  if (geometry.width > limits.maxWidth + TOLERANCE_PX) problems.push(`${geometry.width} px wide, more than the ${limits.maxWidth} px of the ${widthName} width`);
  if (geometry.height > limits.maxHeight + TOLERANCE_PX) problems.push(`${geometry.height} px tall, more than the ${limits.maxHeight} px allowed at ${widthName} width`);
  return problems;
}

/**
 * How far two convex quadrilaterals (text boxes, rotated or not; plot areas) overlap: the smallest
 * overlap of their projections on the normals of their edges (the separating axis theorem), <= 0
 * when they do not. For two axis-aligned boxes it is the smaller of the x and y overlaps. Rotated
 * labels (a heatmap's slanted column names) are compared as drawn, not by the upright boxes around
 * them, which would overlap where the text does not.
 */
export function penetration(a: ReadonlyArray<[number, number]>, b: ReadonlyArray<[number, number]>): number {
  let least = Number.POSITIVE_INFINITY;
  for (const polygon of [a, b]) {
    for (let i = 0; i < polygon.length; i++) {
      const [x0, y0] = polygon[i];
      const [x1, y1] = polygon[(i + 1) % polygon.length];
      const length = Math.hypot(x1 - x0, y1 - y0);
      if (length === 0) continue;
      const axis: [number, number] = [-(y1 - y0) / length, (x1 - x0) / length];
      const [minA, maxA] = project(a, axis);
      const [minB, maxB] = project(b, axis);
      least = Math.min(least, Math.min(maxA, maxB) - Math.max(minA, minB));
    }
  }
  return least;
}

function project(polygon: ReadonlyArray<[number, number]>, axis: [number, number]): [number, number] {
  const values = polygon.map(([x, y]) => x * axis[0] + y * axis[1]);
  return [Math.min(...values), Math.max(...values)];
}

function corners(box: Box): Array<[number, number]> {
  return [
    [box.x0, box.y0],
    [box.x1, box.y0],
    [box.x1, box.y1],
    [box.x0, box.y1],
  ];
}

function shrink(box: Box, by: number): Box {
  return { x0: box.x0 + by, y0: box.y0 + by, x1: box.x1 - by, y1: box.y1 - by };
}

function quote(text: TextBox): string {
  return `'${text.text}'`;
}

/** "mark-line role-mark layer_1_marks" -> "line mark layer_1_marks". */
function markName(markClass: string): string {
  const type = /\bmark-(\w+)/.exec(markClass)?.[1] ?? "mark";
  const name = markClass
    .split(/\s+/)
    .filter((part) => !part.startsWith("mark-") && !part.startsWith("role-"))
    .join(" ");
  return `${type} mark${name === "" ? "" : ` ${name}`}`;
}
