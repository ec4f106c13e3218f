import * as z from "zod";
import { durationSchema } from "../../random/distribution-spec.js";
import { builtOnce, builtOnUse } from "../../scenario/schema-on-use.js";
import type { AccessSettings } from "../wireless/access.js";
import type { MobilitySettings, TraceSample } from "./models.js";

/**
 * The scenario format's mobility (`devices[].mobility`) and wireless access settings
 * (`network.wireless`; access points are `network.vertices`), and the resolvers that apply the
 * defaults. Every default is stated once, here:
 * the `.meta` descriptions quote these constants and the resolvers read them.
 */
export const MOBILITY_DEFAULTS = {
  /** Pause at a waypoint or after a random-direction epoch, ms. */
  pauseMs: 0,
  /** Random waypoint starts in its stationary state (Navidi & Camp 2004), so results need no warm-up. */
  stationaryStart: true,
  /** Gauss-Markov memory: NS-3 GaussMarkovMobilityModel Alpha = 1. */
  alpha: 1,
  /** Gauss-Markov step, ms: NS-3 TimeStep = 1 s. */
  stepMs: 1000,
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

/** The pieces the mobility and access schemas share, built on first use: most scenarios have no mobility and no wireless access. */
const parts = builtOnce(() => {
  const positive = z.number().positive();
  const nonNegative = z.number().nonnegative();
  const range = (what: string, min: z.ZodNumber) =>
    z
      .union([min, z.tuple([min, min]).refine(([low, high]) => low <= high, { message: "expected [min, max] with min not above max" })])
      .meta({ description: `${what}: one value, or [min, max] drawn uniform.` });
  /** A duration as everywhere in the format ("2 s", or a number of ms), never negative. */
  const time = durationSchema.refine((ms) => ms >= 0, { message: "expected a duration not below 0" });
  const timeRange = (what: string) =>
    z
      .union([time, z.tuple([time, time]).refine(([low, high]) => low <= high, { message: "expected [min, max] with min not above max" })])
      .meta({ description: `${what}: one duration, or [min, max] drawn uniform.` });
  const area = z
    .strictObject({ width: positive.meta({ description: "Width, m." }), height: positive.meta({ description: "Height, m." }) })
    .meta({ description: "The rectangle [0, width] x [0, height] the device moves in, m." });
  const point = z.strictObject({ x: z.number(), y: z.number() });
  const pause = timeRange(`Pause (default ${MOBILITY_DEFAULTS.pauseMs} ms)`).optional();
  return { positive, nonNegative, range, time, timeRange, area, point, pause };
});

export const mobilitySchema = builtOnUse(() => {
  const { positive, nonNegative, range, timeRange, area, point, pause } = parts();
  return z
    .discriminatedUnion("model", [
      z.strictObject({ model: z.literal("static"), position: point.meta({ description: "Where the device stays, m." }) }),
      z.strictObject({
        model: z.literal("random-waypoint"),
        area,
        speedMps: range("Speed of each leg, m/s (above 0: with 0 allowed the mean speed decays, Yoon et al. 2003)", positive),
        pause,
        stationaryStart: z
          .boolean()
          .optional()
          .meta({ description: `Start in the stationary state (Navidi & Camp 2004) rather than at a uniform point (default ${MOBILITY_DEFAULTS.stationaryStart}).` }),
      }),
      z.strictObject({
        model: z.literal("random-direction"),
        area,
        speedMps: range("Speed, m/s", positive),
        travel: timeRange("How long each direction is kept (the device reflects off the border meanwhile)"),
        pause,
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
        step: durationSchema
          .refine((ms) => ms > 0, { message: "expected a positive duration" })
          .optional()
          .meta({ description: `Update step (default ${MOBILITY_DEFAULTS.stepMs} ms, NS-3).` }),
        start: point.optional().meta({ description: "Start point, m (default: uniform in the area)." }),
      }),
      z.strictObject({
        model: z.literal("trace"),
        file: z
          .string()
          .min(1)
          .meta({ description: "CSV with columns time (s), device, x (m), y (m), relative to the scenario file; linear between samples, held before the first and after the last." }),
        device: z.string().min(1).optional().meta({ description: "The trace's device id to follow (default: the device's own id, `<group>-<k>` in a group)." }),
      }),
    ])
    .meta({
      description:
        "How the group's devices move (each from its own random stream); a device with mobility reaches the network by radio, through the access point (network.vertices) it is attached to, never by a link of its own.",
    });
});

export type MobilitySpec = z.output<typeof mobilitySchema>;

/** The access settings of `network.wireless` (the wireless hop's latency, jitter and bandwidth sit beside them, as `network.default`'s). */
export const accessSettingsShape = builtOnce(() => {
  const { positive, nonNegative, time } = parts();
  return {
    hysteresis: z
      .strictObject({ value: nonNegative, unit: z.enum(["m", "dB"]) })
      .optional()
      .meta({ description: `How much nearer (m) or stronger (dB, log-distance) another AP must be to hand over (default ${ACCESS_DEFAULTS.hysteresisDb} dB).` }),
    handoverDelay: time
      .optional()
      .meta({ description: `Time after a change of AP during which the device's transfers wait (default ${ACCESS_DEFAULTS.handoverDelayMs} ms, ITU-R M.2134 LTE interruption).` }),
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
      .meta({
        description: "When set, a device sends at most efficiency B log2(1 + SNR(d)) at distance d from its AP; absent, only the AP's air capacity (shared by the attached devices) limits it.",
      }),
  };
});

export const accessSchema = builtOnUse(() => z.strictObject(accessSettingsShape()));
export type AccessSpec = z.output<typeof accessSchema>;

const asRange = (value: number | [number, number] | undefined, fallback: number) => {
  const [min, max] = value === undefined ? [fallback, fallback] : typeof value === "number" ? [value, value] : value;
  return { min, max };
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
        speedMps: asRange(spec.speedMps, 0),
        pauseMs: asRange(spec.pause, MOBILITY_DEFAULTS.pauseMs),
        stationaryStart: spec.stationaryStart ?? MOBILITY_DEFAULTS.stationaryStart,
      };
    case "random-direction":
      return {
        model: "random-direction",
        area: spec.area,
        speedMps: asRange(spec.speedMps, 0),
        travelMs: asRange(spec.travel, 0),
        pauseMs: asRange(spec.pause, MOBILITY_DEFAULTS.pauseMs),
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
        stepMs: spec.step ?? MOBILITY_DEFAULTS.stepMs,
        start: spec.start ?? null,
      };
    case "trace":
      if (traceSamples === undefined || traceSamples.length === 0) throw new Error("resolveMobility: a trace model needs the device's samples");
      return { model: "trace", samples: traceSamples };
  }
}

/** Parsed access settings (`network.wireless`) with their defaults applied. */
export function resolveAccess(spec: AccessSpec): AccessSettings {
  const pathLoss = {
    exponent: spec.pathLoss?.exponent ?? ACCESS_DEFAULTS.pathLossExponent,
    referenceDistanceM: spec.pathLoss?.referenceDistanceM ?? ACCESS_DEFAULTS.referenceDistanceM,
    referenceLossDb: spec.pathLoss?.referenceLossDb ?? ACCESS_DEFAULTS.referenceLossDb,
  };
  const rate = spec.rateFallsWithDistance;
  return {
    hysteresis: spec.hysteresis ?? { unit: "dB", value: ACCESS_DEFAULTS.hysteresisDb },
    handoverDelayMs: spec.handoverDelay ?? ACCESS_DEFAULTS.handoverDelayMs,
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
