import { z } from "zod";
import { InputError } from "../../errors.js";
import type { AccessPoint, AccessSettings } from "../wireless/access.js";
import type { MobilitySettings, TraceSample } from "./models.js";

/**
 * The scenario-format fragment for mobility and wireless access, for the lead to plug into the
 * scenario schema, and the resolvers that apply the defaults. Every default is stated once, here:
 * the `.meta` descriptions quote these constants and the resolvers read them.
 */
export const MOBILITY_DEFAULTS = {
  /** Pause at a waypoint or after a random-direction epoch, s. */
  pauseS: 0,
  /** Random waypoint starts in its stationary state (Navidi & Camp 2004), so results need no warm-up. */
  stationaryStart: true,
  /** Gauss-Markov memory: NS-3 GaussMarkovMobilityModel Alpha = 1. */
  alpha: 1,
  /** Gauss-Markov step: NS-3 TimeStep = 1 s. */
  stepS: 1,
  /** Gauss-Markov speed noise sd: NS-3 NormalVelocity = Normal(0, 1) m/s. */
  speedSdMps: 1,
  /** Gauss-Markov direction noise sd: NS-3 NormalDirection = Normal(0, 1) rad. */
  directionSdRad: 1,
} as const;

export const ACCESS_DEFAULTS = {
  /** No hysteresis: attach to the nearest AP in range. */
  hysteresisDb: 0,
  /** LTE intra-frequency handover interruption, IMT-Advanced requirement (ITU-R M.2134, 27.5 ms); Wi-Fi 802.11i re-authentication takes 150-350 ms. */
  handoverDelayMs: 27.5,
  /** Log-distance exponent n, NS-3 LogDistancePropagationLossModel Exponent = 3. */
  pathLossExponent: 3,
  /** Reference distance d0, NS-3 ReferenceDistance = 1 m. */
  referenceDistanceM: 1,
  /** PL(d0), NS-3 ReferenceLoss = 46.6777 dB (Friis at 5.15 GHz). */
  referenceLossDb: 46.6777,
  /** NS-3 WifiPhy TxPowerStart/End = 16.0206 dBm (40 mW). */
  txPowerDbm: 16.0206,
  /** NS-3 WifiPhy ChannelWidth = 20 MHz. */
  bandwidthMHz: 20,
  /** NS-3 WifiPhy RxNoiseFigure = 7 dB. */
  noiseFigureDb: 7,
  /** MAC efficiency at the top MCS assumed by Cisco (doc 212892). */
  efficiency: 0.65,
} as const;

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const range = (what: string, min: z.ZodNumber) =>
  z
    .union([min, z.tuple([min, min]).refine(([low, high]) => low <= high, { message: "expected [min, max] with min not above max" })])
    .meta({ description: `${what}: one value, or [min, max] drawn uniform.` });
const area = z
  .strictObject({ width: positive.meta({ description: "Width, m." }), height: positive.meta({ description: "Height, m." }) })
  .meta({ description: "The rectangle [0, width] x [0, height] the device moves in, m." });
const point = z.strictObject({ x: z.number(), y: z.number() });
const pause = range(`Pause, s (default ${MOBILITY_DEFAULTS.pauseS})`, nonNegative).optional();

export const mobilitySchema = z
  .discriminatedUnion("model", [
    z.strictObject({ model: z.literal("static"), position: point.meta({ description: "Where the device stays, m." }) }),
    z.strictObject({
      model: z.literal("random-waypoint"),
      area,
      speedMps: range("Speed of each leg, m/s (above 0: with 0 allowed the mean speed decays, Yoon et al. 2003)", positive),
      pauseS: pause,
      stationaryStart: z
        .boolean()
        .optional()
        .meta({ description: `Start in the stationary state (Navidi & Camp 2004) rather than at a uniform point (default ${MOBILITY_DEFAULTS.stationaryStart}).` }),
    }),
    z.strictObject({
      model: z.literal("random-direction"),
      area,
      speedMps: range("Speed, m/s", positive),
      travelS: range("How long each direction is kept, s (the device reflects off the border meanwhile)", positive),
      pauseS: pause,
    }),
    z.strictObject({
      model: z.literal("gauss-markov"),
      area,
      alpha: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .meta({ description: `Memory in [0, 1]: 1 straight lines, 0 memoryless (default ${MOBILITY_DEFAULTS.alpha}, NS-3).` }),
      meanSpeedMps: nonNegative.meta({ description: "Mean speed, m/s." }),
      speedSdMps: nonNegative.optional().meta({ description: `Speed noise sd, m/s (default ${MOBILITY_DEFAULTS.speedSdMps}, NS-3).` }),
      meanDirectionDeg: z.number().optional().meta({ description: "Mean direction, degrees from the x axis (default: drawn uniform from the device's stream)." }),
      directionSdRad: nonNegative.optional().meta({ description: `Direction noise sd, rad (default ${MOBILITY_DEFAULTS.directionSdRad}, NS-3).` }),
      stepS: positive.optional().meta({ description: `Update step, s (default ${MOBILITY_DEFAULTS.stepS}, NS-3).` }),
      start: point.optional().meta({ description: "Start point, m (default: uniform in the area)." }),
    }),
    z.strictObject({
      model: z.literal("trace"),
      file: z.string().min(1).meta({ description: "CSV with columns time (s), device, x (m), y (m); linear between samples, held after the last." }),
      device: z.string().min(1).optional().meta({ description: "The trace's device id to follow (default: the device's own id)." }),
    }),
  ])
  .meta({ description: "How a device moves; positions are evaluated lazily at the events that need them." });

export type MobilitySpec = z.infer<typeof mobilitySchema>;

export const accessPointSchema = z.strictObject({
  id: z.string().min(1),
  x: z.number().meta({ description: "Position x, m." }),
  y: z.number().meta({ description: "Position y, m." }),
  rangeM: positive.meta({ description: "Coverage radius, m." }),
  capacityMbps: positive.meta({ description: "Capacity shared by the attached devices, Mb/s." }),
});

export const accessSchema = z
  .strictObject({
    hysteresis: z
      .strictObject({ value: nonNegative, unit: z.enum(["m", "dB"]) })
      .optional()
      .meta({ description: `How much nearer (m) or stronger (dB, log-distance) another AP must be to hand over (default ${ACCESS_DEFAULTS.hysteresisDb} dB).` }),
    handoverDelayMs: nonNegative
      .optional()
      .meta({ description: `Time after a change of AP during which transfers wait, ms (default ${ACCESS_DEFAULTS.handoverDelayMs}, ITU-R M.2134 LTE interruption).` }),
    pathLoss: z
      .strictObject({
        exponent: positive.optional().meta({ description: `n (default ${ACCESS_DEFAULTS.pathLossExponent}, NS-3).` }),
        referenceDistanceM: positive.optional().meta({ description: `d0, m (default ${ACCESS_DEFAULTS.referenceDistanceM}, NS-3).` }),
        referenceLossDb: z
          .number()
          .optional()
          .meta({ description: `PL(d0), dB (default ${ACCESS_DEFAULTS.referenceLossDb}, NS-3).` }),
      })
      .optional()
      .meta({ description: "Log-distance path loss PL(d) = PL(d0) + 10 n log10(d / d0)." }),
    rateFallsWithDistance: z
      .strictObject({
        txPowerDbm: z
          .number()
          .optional()
          .meta({ description: `Transmit power, dBm (default ${ACCESS_DEFAULTS.txPowerDbm}, NS-3 WifiPhy).` }),
        bandwidthMHz: positive.optional().meta({ description: `Channel width, MHz (default ${ACCESS_DEFAULTS.bandwidthMHz}, NS-3 WifiPhy).` }),
        noiseFigureDb: nonNegative.optional().meta({ description: `Receiver noise figure, dB (default ${ACCESS_DEFAULTS.noiseFigureDb}, NS-3 WifiPhy).` }),
        efficiency: z
          .number()
          .positive()
          .max(1)
          .optional()
          .meta({ description: `Share of the Shannon rate delivered (default ${ACCESS_DEFAULTS.efficiency}, Cisco).` }),
      })
      .optional()
      .meta({ description: "When set, rate = min(capacity, efficiency B log2(1 + SNR(d))); absent, an attached device may use the whole capacity." }),
  })
  .meta({ description: "Attachment to the nearest AP in range and handover with hysteresis and delay." });

export type AccessSpec = z.infer<typeof accessSchema>;

const asRange = (value: number | [number, number] | undefined, fallback: number, scale: number) => {
  const [min, max] = value === undefined ? [fallback, fallback] : typeof value === "number" ? [value, value] : value;
  return { min: min * scale, max: max * scale };
};

/**
 * A parsed mobility spec with its defaults applied, in the models' units (ms, m/s, rad). A trace
 * spec needs the device's samples, read by the caller with readMobilityTrace (the file is the
 * caller's to resolve against the scenario's folder).
 */
export function resolveMobility(spec: MobilitySpec, traceSamples?: readonly TraceSample[]): MobilitySettings {
  switch (spec.model) {
    case "static":
      return { model: "static", position: spec.position };
    case "random-waypoint":
      return {
        model: "random-waypoint",
        area: spec.area,
        speedMps: asRange(spec.speedMps, 0, 1),
        pauseMs: asRange(spec.pauseS, MOBILITY_DEFAULTS.pauseS, 1000),
        stationaryStart: spec.stationaryStart ?? MOBILITY_DEFAULTS.stationaryStart,
      };
    case "random-direction":
      return {
        model: "random-direction",
        area: spec.area,
        speedMps: asRange(spec.speedMps, 0, 1),
        travelMs: asRange(spec.travelS, 0, 1000),
        pauseMs: asRange(spec.pauseS, MOBILITY_DEFAULTS.pauseS, 1000),
      };
    case "gauss-markov":
      return {
        model: "gauss-markov",
        area: spec.area,
        alpha: spec.alpha ?? MOBILITY_DEFAULTS.alpha,
        meanSpeedMps: spec.meanSpeedMps,
        speedSdMps: spec.speedSdMps ?? MOBILITY_DEFAULTS.speedSdMps,
        meanDirectionRad: spec.meanDirectionDeg === undefined ? null : (spec.meanDirectionDeg * Math.PI) / 180,
        directionSdRad: spec.directionSdRad ?? MOBILITY_DEFAULTS.directionSdRad,
        stepMs: (spec.stepS ?? MOBILITY_DEFAULTS.stepS) * 1000,
        start: spec.start ?? null,
      };
    case "trace":
      if (traceSamples === undefined || traceSamples.length === 0) throw new Error("resolveMobility: a trace model needs the device's samples");
      return { model: "trace", samples: traceSamples };
  }
}

/** A parsed access spec with its defaults applied. */
export function resolveAccess(spec: AccessSpec): AccessSettings {
  const pathLoss = {
    exponent: spec.pathLoss?.exponent ?? ACCESS_DEFAULTS.pathLossExponent,
    referenceDistanceM: spec.pathLoss?.referenceDistanceM ?? ACCESS_DEFAULTS.referenceDistanceM,
    referenceLossDb: spec.pathLoss?.referenceLossDb ?? ACCESS_DEFAULTS.referenceLossDb,
  };
  const rate = spec.rateFallsWithDistance;
  return {
    hysteresis: spec.hysteresis ?? { unit: "dB", value: ACCESS_DEFAULTS.hysteresisDb },
    handoverDelayMs: spec.handoverDelayMs ?? ACCESS_DEFAULTS.handoverDelayMs,
    pathLoss,
    rate:
      rate === undefined
        ? null
        : {
            pathLoss,
            txPowerDbm: rate.txPowerDbm ?? ACCESS_DEFAULTS.txPowerDbm,
            bandwidthHz: (rate.bandwidthMHz ?? ACCESS_DEFAULTS.bandwidthMHz) * 1e6,
            noiseFigureDb: rate.noiseFigureDb ?? ACCESS_DEFAULTS.noiseFigureDb,
            efficiency: rate.efficiency ?? ACCESS_DEFAULTS.efficiency,
          },
  };
}

/** Parsed access points in the access model's units (bit/s); ids must be distinct (issues at `path[i].id`). */
export function resolveAccessPoints(specs: readonly z.infer<typeof accessPointSchema>[], source: string, path: string): AccessPoint[] {
  const seen = new Set<string>();
  const issues = specs.flatMap((spec, index) => {
    if (!seen.has(spec.id)) {
      seen.add(spec.id);
      return [];
    }
    return [{ path: `${path}[${index}].id`, value: spec.id, expected: "an id no other access point has" }];
  });
  if (issues.length > 0) throw new InputError(source, issues);
  return specs.map((spec) => ({ id: spec.id, position: { x: spec.x, y: spec.y }, rangeM: spec.rangeM, capacityBps: spec.capacityMbps * 1e6 }));
}
