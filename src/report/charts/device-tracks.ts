import type { TopLevelSpec } from "vega-lite";
import type { MobilityResults } from "../../metrics/network-results.js";
import { mobilityRuns, round, skipped, type ChartOutcome } from "../chart.js";
import type { ReportResults } from "../results-input.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth, OKABE_ITO } from "../style.js";
import { bottomLegend, LABEL_FONT_SIZE, NUMBER_FORMAT, PLOT_SIZES, textWidth } from "./layout.js";

/** Vertices of the polygon drawn for an access point's range circle. */
const CIRCLE_SEGMENTS = 48;

/** Tallest map plot, px: a map taller than wide keeps its scale and becomes narrower instead (one column: within the 1.5 aspect limit with its axes and legend). */
const MAX_PLOT_HEIGHT: Record<ChartWidth, number> = { column: 300, double: 480 };

/** Access points named on the map while there are at most this many (and their names fit); more are told apart by colour. */
const MAX_LABELLED_APS = 12;

/** The legend lists the access points' colours while there are at most this many (then the colours repeat). */
const MAX_LEGEND_APS = 6;

/** What a point attached to no access point is called in the legend. */
export const OUT_OF_RANGE = "out of range";

/** Colours of the access points, cycled: the Okabe-Ito colours without black (out of range) and yellow (unreadable as a small dot). */
const AP_COLOURS = OKABE_ITO.slice(0, 6);

/**
 * The map's extent in metres and its plot size in px, with one scale for both axes: `pxPerM` is
 * the same across and up, so a circle of range is drawn round and distances read the same both ways.
 */
export interface MapFrame {
  x: [number, number];
  y: [number, number];
  width: number;
  height: number;
  pxPerM: number;
}

/** Every access point's range circle and every tracked position, with a margin of 3 %, at the largest scale that fits the plot. */
export function mapFrame(mobility: MobilityResults, width: ChartWidth): MapFrame {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const ap of mobility.accessPoints) {
    xs.push(ap.x - ap.rangeM, ap.x + ap.rangeM);
    ys.push(ap.y - ap.rangeM, ap.y + ap.rangeM);
  }
  for (const track of mobility.tracks) {
    for (const p of track.points) {
      xs.push(p.x);
      ys.push(p.y);
    }
  }
  const span = (values: number[]): [number, number] => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const margin = Math.max((hi - lo) * 0.03, 1);
    return [lo - margin, hi + margin];
  };
  const [x0, x1] = span(xs);
  const [y0, y1] = span(ys);
  const pxPerM = Math.min(PLOT_SIZES[width].width / (x1 - x0), MAX_PLOT_HEIGHT[width] / (y1 - y0));
  // Whole pixels, then the domains stretched to them, so the scale stays exactly the same both ways.
  const plotWidth = Math.max(1, Math.round((x1 - x0) * pxPerM));
  const plotHeight = Math.max(1, Math.round((y1 - y0) * pxPerM));
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return { x: [cx - plotWidth / pxPerM / 2, cx + plotWidth / pxPerM / 2], y: [cy - plotHeight / pxPerM / 2, cy + plotHeight / pxPerM / 2], width: plotWidth, height: plotHeight, pxPerM };
}

export interface TrackPoint {
  device: string;
  /** Order along the track. */
  order: number;
  x: number;
  y: number;
  /** The access point the device is attached to, or OUT_OF_RANGE. */
  attached: string;
}

export function trackPoints(mobility: MobilityResults): TrackPoint[] {
  return mobility.tracks.flatMap((track) =>
    [...track.points].sort((a, b) => a.t - b.t).map((p, order) => ({ device: track.device, order, x: round(p.x, 2), y: round(p.y, 2), attached: p.ap ?? OUT_OF_RANGE })),
  );
}

/** The polygon of each access point's range, closed (first vertex repeated). */
export function rangeCircles(mobility: MobilityResults): { ap: string; order: number; x: number; y: number }[] {
  return mobility.accessPoints.flatMap((ap) =>
    Array.from({ length: CIRCLE_SEGMENTS + 1 }, (_, i) => {
      const angle = (2 * Math.PI * i) / CIRCLE_SEGMENTS;
      return { ap: ap.id, order: i, x: round(ap.x + ap.rangeM * Math.cos(angle), 2), y: round(ap.y + ap.rangeM * Math.sin(angle), 2) };
    }),
  );
}

/** Names above the access points when there are few and no two names (nor a name and the plot's edge) collide. */
function apLabelsFit(mobility: MobilityResults, frame: MapFrame): boolean {
  const aps = mobility.accessPoints;
  if (aps.length > MAX_LABELLED_APS) return false;
  const boxes = aps.map((ap) => {
    const cx = (ap.x - frame.x[0]) * frame.pxPerM;
    const top = (frame.y[1] - ap.y) * frame.pxPerM - 8 - LABEL_FONT_SIZE;
    const half = textWidth(ap.id) / 2;
    return { x0: cx - half - 2, x1: cx + half + 2, y0: top - 1, y1: top + LABEL_FONT_SIZE + 1 };
  });
  if (boxes.some((b) => b.x0 < 0 || b.x1 > frame.width || b.y0 < 0)) return false;
  return boxes.every((a, i) => boxes.every((b, j) => j <= i || a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0));
}

/**
 * The tracked devices' paths over the access point map (issue 15): range circles, access points,
 * and each track's positions coloured by the access point the device was attached to (a black
 * cross: out of every range); metres on both axes, at one scale.
 */
export function deviceTracksChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const run = mobilityRuns(results).find((r) => r.mobility.tracks.some((track) => track.points.length > 0));
  if (run === undefined) return skipped("no run tracked a moving device (`runs[].mobility.tracks` is empty)");
  const mobility = run.mobility;
  const frame = mapFrame(mobility, width);
  const points = trackPoints(mobility);
  const aps = mobility.accessPoints.map((ap) => ap.id);
  const attachedDomain = [...aps, OUT_OF_RANGE];
  const attachedColours = [...aps.map((_, i) => AP_COLOURS[i % AP_COLOURS.length]), "#000000"];
  const attachedShapes = [...aps.map(() => "circle"), "cross"];
  const legend = aps.length <= MAX_LEGEND_APS ? { ...bottomLegend(attachedDomain, width), title: "attached to" } : null;
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: "x (m)",
    scale: { domain: frame.x, nice: false, zero: false },
    axis: { format: NUMBER_FORMAT, tickCount: Math.max(2, Math.floor(frame.width / 60)), labelFlush: true },
  };
  const y = {
    field: "y",
    type: "quantitative" as const,
    title: "y (m)",
    scale: { domain: frame.y, nice: false, zero: false },
    axis: { format: NUMBER_FORMAT, tickCount: Math.max(2, Math.floor(frame.height / 40)) },
  };
  const apColour = { field: "ap", type: "nominal" as const, scale: { domain: aps, range: aps.map((_, i) => AP_COLOURS[i % AP_COLOURS.length]) }, legend: null };
  const labelled = apLabelsFit(mobility, frame);
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: frame.width,
    height: frame.height,
    // The range circles and the paths are separate colour scales (by AP, and none): each layer keeps its own.
    resolve: { scale: { color: "independent", shape: "independent" }, legend: { color: "independent", shape: "independent" } },
    encoding: { x, y },
    layer: [
      {
        data: { values: rangeCircles(mobility) },
        mark: { type: "line", strokeWidth: 1, opacity: 0.5, strokeDash: [3, 2] },
        encoding: { detail: { field: "ap" }, order: { field: "order" }, color: apColour },
      },
      { data: { values: points }, mark: { type: "line", strokeWidth: 0.8, color: "#888888" }, encoding: { detail: { field: "device" }, order: { field: "order" } } },
      {
        data: { values: points },
        mark: { type: "point", filled: true, size: 14, opacity: 0.9 },
        encoding: {
          color: { field: "attached", type: "nominal", title: "attached to", scale: { domain: attachedDomain, range: attachedColours }, legend },
          shape: { field: "attached", type: "nominal", title: "attached to", scale: { domain: attachedDomain, range: attachedShapes }, legend },
        },
      },
      {
        data: { values: mobility.accessPoints.map((ap) => ({ ap: ap.id, x: ap.x, y: ap.y })) },
        // Smaller markers on a dense map, where the tracks would hide among them.
        mark: { type: "point", shape: "triangle-up", filled: true, size: aps.length > MAX_LABELLED_APS ? 30 : 70, stroke: "#000000", strokeWidth: 0.8 },
        encoding: { color: apColour },
      },
      ...(labelled
        ? [
            {
              data: { values: mobility.accessPoints.map((ap) => ({ ap: ap.id, x: ap.x, y: ap.y })) },
              mark: { type: "text" as const, dy: -13, fontSize: LABEL_FONT_SIZE },
              encoding: { text: { field: "ap" } },
            },
          ]
        : []),
    ],
  };
  const devices = mobility.tracks.filter((track) => track.points.length > 0).map((track) => track.device);
  const others = mobilityRuns(results).length > 1 ? " Positions come from each device's own random stream, so every run has these tracks; the attachments are those of this run." : "";
  const names = labelled ? "" : ` Access points (${aps.length}) are told apart by colour${aps.length > AP_COLOURS.length ? ", which repeats" : ""}.`;
  return {
    kind: "chart",
    spec,
    caption: `Access points (triangles) with their range (dashed circles), and the paths of ${devices.length} tracked device${devices.length === 1 ? "" : "s"} (${devices.join(", ")}) in run ${run.label}: a dot per attachment change and time bin, coloured by the access point the device was attached to; a black cross: out of every range. One scale for both axes (${round(1 / frame.pxPerM, 3)} m per px at ${CHART_WIDTHS[width]} px).${names}${others}`,
  };
}
