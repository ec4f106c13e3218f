import { dejavuSansMetrics } from "./font-metrics.js";
import { decodeXmlText } from "./svg-font.js";

/*
 * Reads the geometry of a chart from the SVG vega wrote: the box of every text (its x/y, font
 * size, anchor and rotation from the nested transforms, its width from the DejaVu Sans advance
 * widths), the points of every data mark, and the plot areas (the groups with a background of
 * their size). The SVG is what a reader sees, so a check on it catches what a check on the spec
 * would miss (a legend placed on the plot, labels vega did not hide). vega's SVG is a small,
 * regular subset of XML (attributes in double quotes, no CDATA, no comments), read here with a
 * tokenizer rather than a general XML parser.
 */

/** An axis-aligned box in SVG px: x0 <= x1, y0 <= y1 (y down). */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** What a text is, from the class of the vega mark that drew it. */
export type TextRole = "axis-label" | "axis-title" | "legend-label" | "legend-title" | "title" | "mark" | "other";

/** A text's box: its four corners (a rotated text's box is rotated), and the axis-aligned box around them. */
export interface TextBox extends Box {
  text: string;
  role: TextRole;
  corners: Array<[number, number]>;
}

/** A point a data mark draws through (a line's vertex, a rect's corner, a symbol's centre, a text mark's anchor). */
export interface MarkPoint {
  x: number;
  y: number;
  /** The nearest enclosing plot area (a frame or scope group's box); undefined outside any. */
  area: Box | undefined;
  /** Under a clip-path: drawn only inside the clip, so never outside its plot area. */
  clipped: boolean;
  /** The mark's class, e.g. "mark-line role-mark layer_0_marks". */
  mark: string;
}

export interface ChartGeometry {
  width: number;
  height: number;
  texts: TextBox[];
  marks: MarkPoint[];
  plotAreas: Box[];
}

/**
 * The vertical extent of DejaVu Sans ink around the baseline, in em: ascenders ("l", "d") rise
 * 1556/2048 and descenders ("g", "p") fall 483/2048 (the font's glyph bounds). Digits and capitals
 * rise less (1493/2048); the larger value keeps the check on the safe side. vega lays text out
 * with the same 1 em total (0.79 above the baseline, 0.21 below).
 */
const ASCENT_EM = 1556 / 2048;
const DESCENT_EM = 483 / 2048;
/** Characters that reach below the baseline in DejaVu Sans; a text without any has no descent. */
const DESCENDERS = /[gjpqyQ,;()[\]{}|_µ]/;

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

interface Frame {
  tag: string;
  matrix: Matrix;
  className: string;
  hidden: boolean;
  clipped: boolean;
  /** The plot area this element and its descendants are in. */
  area: Box | undefined;
  /** Set on a frame/scope group: its content group (the next <g>) and background define the area. */
  plotGroup: boolean;
  /** Inside an axis, legend or title: its scope groups (legend entries) are no plot areas. */
  inGuide: boolean;
  fontSize: number | undefined;
  anchor: string | undefined;
}

interface OpenText {
  frame: Frame;
  role: TextRole;
  lines: Array<{ text: string; x: number; y: number }>;
  /** The tspan being read (multi-line text), or the text element itself. */
  dy: number;
}

const TOKEN = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;

export function readSvgGeometry(svg: string): ChartGeometry {
  const texts: TextBox[] = [];
  const marks: MarkPoint[] = [];
  const plotAreas: Box[] = [];
  const stack: Frame[] = [];
  let width = 0;
  let height = 0;
  let text: OpenText | undefined;
  const top = (): Frame => stack[stack.length - 1] ?? rootFrame();
  for (const token of svg.matchAll(TOKEN)) {
    const [, closing, tag, attributeText, selfClosing, characters] = token;
    if (characters !== undefined) {
      if (text !== undefined && characters.trim() !== "") {
        const line = text.lines[text.lines.length - 1];
        if (line !== undefined) line.text += decodeXmlText(characters);
      }
      continue;
    }
    if (closing === "/") {
      const frame = stack.pop();
      if (frame?.tag === "text" && text !== undefined) {
        if (!text.frame.hidden) texts.push(...textBoxes(text));
        text = undefined;
      }
      continue;
    }
    const attributes = readAttributes(attributeText);
    const parent = top();
    const frame = childFrame(parent, tag, attributes);
    if (tag === "svg" && stack.length === 0) {
      width = Number(attributes.width);
      height = Number(attributes.height);
    }
    if (tag === "path" && attributes.class === "background" && parent.tag === "g" && stack.length >= 2 && stack[stack.length - 2].plotGroup) {
      // The background of a frame or scope group: its size is the plot area of what it contains.
      const size = /^M([-\d.e]+),([-\d.e]+)h([-\d.e]+)v([-\d.e]+)h/.exec(attributes.d ?? "");
      if (size !== null && Number(size[3]) > 0 && Number(size[4]) > 0) {
        const [x, y, w, h] = size.slice(1, 5).map(Number);
        parent.area = boxOf([apply(parent.matrix, x, y), apply(parent.matrix, x + w, y + h)]);
        plotAreas.push(parent.area);
      }
    }
    const markClass = enclosingMark(stack, frame);
    if (tag === "text") {
      text = { frame, role: textRole(markClass), lines: [{ text: "", x: 0, y: 0 }], dy: 0 };
    } else if (tag === "tspan" && text !== undefined) {
      // vega writes the first line as a bare <tspan> and each next one with x="0" dy="<line height>".
      const dy = Number(attributes.dy ?? 0);
      const previous = text.lines[text.lines.length - 1];
      if (previous.text === "" && text.lines.length === 1) previous.y += dy;
      else text.lines.push({ text: "", x: 0, y: previous.y + dy });
    }
    if (markClass !== undefined && /\brole-mark\b/.test(markClass) && !frame.hidden && tag !== "g" && tag !== "tspan") {
      for (const [x, y] of markPoints(tag, attributes, markClass)) {
        const [px, py] = apply(frame.matrix, x, y);
        marks.push({ x: px, y: py, area: frame.area, clipped: frame.clipped, mark: markClass });
      }
    }
    if (selfClosing !== "/") stack.push(frame);
  }
  return { width, height, texts, marks, plotAreas };
}

function rootFrame(): Frame {
  return { tag: "", matrix: IDENTITY, className: "", hidden: false, clipped: false, area: undefined, plotGroup: false, inGuide: false, fontSize: undefined, anchor: undefined };
}

function childFrame(parent: Frame, tag: string, attributes: Record<string, string>): Frame {
  const className = attributes.class ?? "";
  return {
    tag,
    matrix: attributes.transform === undefined ? parent.matrix : multiply(parent.matrix, parseTransform(attributes.transform)),
    className,
    hidden: parent.hidden || attributes.opacity === "0" || attributes.display === "none" || attributes.visibility === "hidden",
    clipped: parent.clipped || attributes["clip-path"] !== undefined,
    area: parent.area,
    plotGroup: tag === "g" && !parent.inGuide && /\bmark-group\b/.test(className) && /\brole-(frame|scope)\b/.test(className),
    inGuide: parent.inGuide || /\brole-(axis|legend|title)\b/.test(className),
    fontSize: attributes["font-size"] === undefined ? parent.fontSize : Number.parseFloat(attributes["font-size"]),
    anchor: attributes["text-anchor"] ?? parent.anchor,
  };
}

/** The class of the vega mark (`<g class="mark-...">`) an element belongs to. */
function enclosingMark(stack: readonly Frame[], frame: Frame): string | undefined {
  if (/\bmark-/.test(frame.className)) return frame.className;
  for (let i = stack.length - 1; i >= 0; i--) if (/\bmark-(?!group)/.test(stack[i].className)) return stack[i].className;
  return undefined;
}

function textRole(markClass: string | undefined): TextRole {
  if (markClass === undefined) return "other";
  const role = /\brole-([\w-]+)/.exec(markClass)?.[1] ?? "";
  if (role === "axis-label") return "axis-label";
  if (role === "axis-title") return "axis-title";
  if (role === "legend-label") return "legend-label";
  if (role === "legend-title") return "legend-title";
  if (role === "title-text" || role === "title-subtitle") return "title";
  if (role === "mark") return "mark";
  return "other";
}

function textBoxes(text: OpenText): TextBox[] {
  const fontSize = text.frame.fontSize ?? 11;
  const metrics = dejavuSansMetrics();
  const boxes: TextBox[] = [];
  for (const line of text.lines) {
    const value = line.text.trim();
    if (value === "") continue;
    const width = metrics.width(value, fontSize);
    const anchor = text.frame.anchor ?? "start";
    const x0 = line.x - (anchor === "middle" ? width / 2 : anchor === "end" ? width : 0);
    const y0 = line.y - ASCENT_EM * fontSize;
    const y1 = line.y + (DESCENDERS.test(value) ? DESCENT_EM * fontSize : 0);
    const m = text.frame.matrix;
    const corners = [apply(m, x0, y0), apply(m, x0 + width, y0), apply(m, x0 + width, y1), apply(m, x0, y1)];
    boxes.push({ ...boxOf(corners), text: value, role: text.role, corners });
  }
  return boxes;
}

/**
 * The points a data mark draws through, in its own coordinates. A symbol is checked at its centre
 * (its transform's origin): a point on the plot's edge is inside even though its circle is not.
 */
function markPoints(tag: string, attributes: Record<string, string>, markClass: string): Array<[number, number]> {
  if (tag === "text" || /\bmark-symbol\b/.test(markClass)) return [[0, 0]];
  if (tag === "line")
    return [
      [Number(attributes.x1 ?? 0), Number(attributes.y1 ?? 0)],
      [Number(attributes.x2 ?? 0), Number(attributes.y2 ?? 0)],
    ];
  if (tag === "rect") {
    const x = Number(attributes.x ?? 0);
    const y = Number(attributes.y ?? 0);
    return [
      [x, y],
      [x + Number(attributes.width ?? 0), y + Number(attributes.height ?? 0)],
    ];
  }
  if (tag === "circle") return [[Number(attributes.cx ?? 0), Number(attributes.cy ?? 0)]];
  if (tag === "path") return pathPoints(attributes.d ?? "");
  return [];
}

const PATH_ARGUMENTS: Record<string, number> = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, a: 7, z: 0 };

/** The end and control points of an SVG path (absolute and relative commands): they bound the curve. */
export function pathPoints(d: string): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  for (const command of d.matchAll(/([MmLlHhVvCcSsQqTtAaZz])([^MmLlHhVvCcSsQqTtAaZz]*)/g)) {
    const letter = command[1];
    const lower = letter.toLowerCase();
    const relative = letter === lower;
    const numbers = (command[2].match(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi) ?? []).map(Number);
    if (lower === "z") {
      x = startX;
      y = startY;
      continue;
    }
    const size = PATH_ARGUMENTS[lower];
    for (let i = 0; i + size <= numbers.length; i += size) {
      const args = numbers.slice(i, i + size);
      const baseX = relative ? x : 0;
      const baseY = relative ? y : 0;
      if (lower === "h") x = baseX + args[0];
      else if (lower === "v") y = baseY + args[0];
      else if (lower === "a") {
        x = baseX + args[5];
        y = baseY + args[6];
      } else {
        for (let j = 0; j + 2 < size; j += 2) points.push([baseX + args[j], baseY + args[j + 1]]);
        x = baseX + args[size - 2];
        y = baseY + args[size - 1];
      }
      points.push([x, y]);
      if (lower === "m" && i === 0) {
        startX = x;
        startY = y;
      }
    }
  }
  return points;
}

function readAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(/([\w:-]+)="([^"]*)"/g)) attributes[match[1]] = decodeXmlText(match[2]);
  return attributes;
}

/** translate, rotate (about the origin or a point), scale and matrix, as vega writes them. */
export function parseTransform(text: string): Matrix {
  let matrix: Matrix = IDENTITY;
  for (const match of text.matchAll(/(translate|rotate|scale|matrix)\(([^)]*)\)/g)) {
    const n = match[2]
      .split(/[\s,]+/)
      .filter((v) => v !== "")
      .map(Number);
    let step: Matrix;
    if (match[1] === "translate") step = [1, 0, 0, 1, n[0] ?? 0, n[1] ?? 0];
    else if (match[1] === "scale") step = [n[0], 0, 0, n[1] ?? n[0], 0, 0];
    else if (match[1] === "matrix") step = [n[0], n[1], n[2], n[3], n[4], n[5]];
    else {
      const radians = ((n[0] ?? 0) * Math.PI) / 180;
      const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
      step = [cos, sin, -sin, cos, 0, 0];
      if (n.length === 3) step = multiply(multiply([1, 0, 0, 1, n[1], n[2]], step), [1, 0, 0, 1, -n[1], -n[2]]);
    }
    matrix = multiply(matrix, step);
  }
  return matrix;
}

function multiply(a: Matrix, b: Matrix): Matrix {
  return [a[0] * b[0] + a[2] * b[1], a[1] * b[0] + a[3] * b[1], a[0] * b[2] + a[2] * b[3], a[1] * b[2] + a[3] * b[3], a[0] * b[4] + a[2] * b[5] + a[4], a[1] * b[4] + a[3] * b[5] + a[5]];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

function boxOf(points: ReadonlyArray<[number, number]>): Box {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}
