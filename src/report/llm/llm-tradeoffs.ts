import type { TopLevelSpec } from "vega-lite";
import { queryRuns, nice125, round, skipped, type ChartOutcome } from "../chart.js";
import { dejavuSansMetrics } from "../font-metrics.js";
import { policyColourScale } from "../policy-colours.js";
import { CHART_CONFIG, CHART_WIDTHS, type ChartWidth } from "../style.js";
import { listNames } from "./llm-chart.js";
import type { ReportResults } from "../results-input.js";

export interface TradeoffPoint {
  router: string;
  /** cost.totalUsd / queries.completed x 1000. */
  usdPer1000: number;
  /** quality.meanProbability. */
  quality: number;
  /** privacy.shareOfQueriesOffDevice; null when unknown (drawn at the smallest size). */
  offDevice: number | null;
  /** Not beaten on both cost and quality by another router. */
  pareto: boolean;
}

/** Money per 1,000 completed queries against the quality proxy, per router with completed queries and a quality value. */
export function tradeoffPoints(results: ReportResults): TradeoffPoint[] {
  const points = queryRuns(results).flatMap((run) => {
    const quality = run.queries.quality.meanProbability;
    if (run.queries.jobs.completed === 0 || quality === null) return [];
    return [{ router: run.label, usdPer1000: (run.queries.cost.totalUsd / run.queries.jobs.completed) * 1000, quality, offDevice: run.queries.privacy.shareOfQueriesOffDevice, pareto: false }];
  });
  for (const p of points) {
    p.pareto = !points.some((q) => q !== p && q.usdPer1000 <= p.usdPer1000 && q.quality >= p.quality && (q.usdPer1000 < p.usdPer1000 || q.quality > p.quality));
  }
  return points;
}

const SIZE_RANGE: [number, number] = [16, 220];
const LABEL_FONT = 9;
const LABEL_HEIGHT = 11;
const LABEL_GAP = 3;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Placement {
  align: "left" | "right" | "center";
  baseline: "middle" | "bottom" | "top";
  /** Offset of the text anchor from the point, in px (y down). */
  dx: number;
  dy: number;
}

/**
 * Where each point's label goes. Vega-Lite has no label-collision avoidance, and routers with
 * similar costs sit close together, so each label takes the candidate position (right, left,
 * above, below, the diagonals; then the same farther out) that overlaps the fewest other labels
 * and points, stays inside the plot and is nearer its own point than any other; a few rounds let
 * an early label move out of a later one's way. Deterministic: same points, same placement.
 */
function placeLabels(points: readonly { x: number; y: number; r: number; label: string }[], width: number, height: number): Placement[] {
  const metrics = dejavuSansMetrics();
  const circles = points.map((p) => ({ x: p.x - p.r, y: p.y - p.r, w: 2 * p.r, h: 2 * p.r }));
  const candidates = points.map((p) => {
    const w = metrics.width(p.label, LABEL_FONT);
    return [1, 2].flatMap((far) => labelCandidates(p, w, p.r * far + LABEL_GAP));
  });
  const plot = { x: 0, y: 0, w: width, h: height };
  const chosen: number[] = points.map(() => -1);
  const score = (i: number, c: number): number => {
    const b = candidates[i][c].box;
    let total = 10 * (b.w * b.h - overlap(b, plot)) + c;
    chosen.forEach((other, j) => {
      if (j !== i && other >= 0) total += 3 * overlap(b, candidates[j][other].box);
    });
    circles.forEach((circle, j) => {
      total += 3 * overlap(b, circle);
      // A label nearer another point than its own reads as that point's label.
      if (j !== i && distance(b, points[j]) < distance(b, points[i])) total += 40;
    });
    return total;
  };
  for (let round = 0; round < 4; round++) {
    let changed = false;
    points.forEach((_, i) => {
      let best = 0;
      let bestScore = Infinity;
      candidates[i].forEach((_, c) => {
        const s = score(i, c);
        if (s < bestScore - 1e-9) {
          best = c;
          bestScore = s;
        }
      });
      if (best !== chosen[i]) changed = true;
      chosen[i] = best;
    });
    if (!changed) break;
  }
  return chosen.map((c, i) => {
    const { align, baseline, dx, dy } = candidates[i][c];
    return { align, baseline, dx, dy };
  });
}

/** Distance from a point to the nearest point of a box. */
function distance(box: Box, p: { x: number; y: number }): number {
  const dx = Math.max(box.x - p.x, 0, p.x - (box.x + box.w));
  const dy = Math.max(box.y - p.y, 0, p.y - (box.y + box.h));
  return Math.hypot(dx, dy);
}

/** Right, left, above, below, then the four diagonals of a point, at `gap` px from its centre. */
function labelCandidates(p: { x: number; y: number }, w: number, gap: number): Array<Placement & { box: Box }> {
  const h = LABEL_HEIGHT;
  const d = gap * 0.7;
  return [
    { align: "left", baseline: "middle", dx: gap, dy: 0, box: { x: p.x + gap, y: p.y - h / 2, w, h } },
    { align: "right", baseline: "middle", dx: -gap, dy: 0, box: { x: p.x - gap - w, y: p.y - h / 2, w, h } },
    { align: "center", baseline: "bottom", dx: 0, dy: -gap, box: { x: p.x - w / 2, y: p.y - gap - h, w, h } },
    { align: "center", baseline: "top", dx: 0, dy: gap, box: { x: p.x - w / 2, y: p.y + gap, w, h } },
    { align: "left", baseline: "bottom", dx: d, dy: -d, box: { x: p.x + d, y: p.y - d - h, w, h } },
    { align: "left", baseline: "top", dx: d, dy: d, box: { x: p.x + d, y: p.y + d, w, h } },
    { align: "right", baseline: "bottom", dx: -d, dy: -d, box: { x: p.x - d - w, y: p.y - d - h, w, h } },
    { align: "right", baseline: "top", dx: -d, dy: d, box: { x: p.x - d - w, y: p.y + d, w, h } },
  ];
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** LLM chart 2: the trade-off per router: money per 1,000 queries against the quality proxy, point area = share of queries off device. */
export function llmTradeoffsChart(results: ReportResults, width: ChartWidth = "column"): ChartOutcome {
  const points = tradeoffPoints(results);
  if (points.length === 0) return skipped("no router completed a measured query with a quality value, so there is no trade-off to draw");
  const plotWidth = CHART_WIDTHS[width] - 80;
  const height = width === "column" ? 160 : 260;
  const maxUsd = Math.max(...points.map((p) => p.usdPer1000));
  // Domains end on a tick (a 1-2-5 step), so the label placement below knows where each point is drawn.
  const xStep = maxUsd > 0 ? nice125(maxUsd / 4, "ceil") : 0.25;
  const xMax = round(Math.ceil((maxUsd * 1.06) / xStep) * xStep, 10) || xStep;
  const qualities = points.map((p) => p.quality);
  const [qLow, qHigh] = [Math.min(...qualities), Math.max(...qualities)];
  const yStep = nice125(Math.max(qHigh - qLow, 0.1) / 4, "ceil");
  const yDomain = [round(Math.max(0, Math.floor((qLow - 0.02) / yStep) * yStep), 10), round(Math.min(1, Math.ceil((qHigh + 0.02) / yStep) * yStep), 10)];
  const px = (usd: number): number => (usd / xMax) * plotWidth;
  const py = (q: number): number => height - ((q - yDomain[0]) / (yDomain[1] - yDomain[0])) * height;
  const radius = (share: number | null): number => Math.sqrt((SIZE_RANGE[0] + (share ?? 0) * (SIZE_RANGE[1] - SIZE_RANGE[0])) / Math.PI);
  const placements = placeLabels(
    points.map((p) => ({ x: px(p.usdPer1000), y: py(p.quality), r: radius(p.offDevice), label: p.router })),
    plotWidth,
    height,
  );
  const values = points.map((p, i) => {
    const place = placements[i];
    return {
      router: p.router,
      usdPer1000: round(p.usdPer1000, 6),
      quality: round(p.quality, 4),
      offDevice: p.offDevice === null ? null : round(p.offDevice, 4),
      pareto: p.pareto,
      // The label's anchor in data units, so the spec needs no per-datum offsets.
      labelX: round(p.usdPer1000 + (place.dx / plotWidth) * xMax, 6),
      labelY: round(p.quality - (place.dy / height) * (yDomain[1] - yDomain[0]), 5),
      labelPlace: `${place.align}-${place.baseline}`,
    };
  });
  const colour = policyColourScale(results);
  const x = { type: "quantitative" as const, title: "cost per 1,000 queries (USD)", scale: { domain: [0, xMax], nice: false } };
  const y = { type: "quantitative" as const, title: "quality: mean P(good answer)", scale: { domain: yDomain, nice: false } };
  const front = points.filter((p) => p.pareto).sort((a, b) => a.usdPer1000 - b.usdPer1000);
  const labelLayers = [...new Set(values.map((v) => v.labelPlace))].sort().map((place) => {
    const [align, baseline] = place.split("-") as [Placement["align"], Placement["baseline"]];
    return {
      transform: [{ filter: `datum.labelPlace === '${place}'` }],
      mark: { type: "text" as const, align, baseline, fontSize: LABEL_FONT, color: "#222222" },
      encoding: { x: { field: "labelX", ...x }, y: { field: "labelY", ...y }, text: { field: "router", type: "nominal" as const } },
    };
  });
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    width: plotWidth,
    height,
    data: { values },
    layer: [
      ...(front.length > 1
        ? [
            {
              transform: [{ filter: "datum.pareto" }],
              mark: { type: "line" as const, color: "#999999", strokeDash: [3, 3], strokeWidth: 1 },
              encoding: { x: { field: "usdPer1000", ...x }, y: { field: "quality", ...y }, order: { field: "usdPer1000", type: "quantitative" as const } },
            },
          ]
        : []),
      {
        mark: { type: "point", filled: true, opacity: 0.85, stroke: "#ffffff", strokeWidth: 0.7 },
        encoding: {
          x: { field: "usdPer1000", ...x },
          y: { field: "quality", ...y },
          color: { field: "router", type: "nominal", scale: colour, legend: null },
          size: {
            field: "offDevice",
            type: "quantitative",
            title: "share of queries off device",
            scale: { domain: [0, 1], range: SIZE_RANGE, zero: true },
            legend: { orient: "bottom", direction: "horizontal", values: [0, 0.5, 1], format: ".0%", symbolFillColor: "#888888", symbolStrokeWidth: 0 },
          },
        },
      },
      ...labelLayers,
    ],
  };
  const missing = colour.domain.filter((label) => !points.some((p) => p.router === label));
  const caption =
    "Money per 1,000 completed queries (API, energy and hardware) against the quality proxy, one point per router; " +
    "the point's area is the share of queries whose prompt left the device" +
    (front.length > 1 ? `; dashed: the routers no other beats on both cost and quality (${listNames(front.map((p) => p.router))})` : "") +
    "." +
    (missing.length > 0 ? ` Not drawn: ${listNames(missing)} (no completed query or no quality value).` : "");
  return { kind: "chart", spec, caption };
}
