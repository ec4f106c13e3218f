/**
 * Radio formulas for attachment and rate. Every default is in schema.ts (src/network/mobility),
 * stated once; these functions take resolved values.
 */

/** Log-distance path loss, NS-3 LogDistancePropagationLossModel: PL(d) = PL(d0) + 10 n log10(d / d0), dB. */
export interface PathLoss {
  /** Path-loss exponent n. */
  exponent: number;
  /** Reference distance d0, metres. */
  referenceDistanceM: number;
  /** Loss at the reference distance PL(d0), dB. */
  referenceLossDb: number;
}

/** PL(d) in dB; below d0 the loss is PL(d0) (NS-3 returns the transmit power unchanged there). */
export function pathLossDb(model: PathLoss, distanceM: number): number {
  if (distanceM <= model.referenceDistanceM) return model.referenceLossDb;
  return model.referenceLossDb + 10 * model.exponent * Math.log10(distanceM / model.referenceDistanceM);
}

/**
 * A hysteresis of H dB between two APs of equal transmit power is a distance ratio: the received
 * power of AP j exceeds that of AP i by H dB when 10 n log10(d_i / d_j) >= H, i.e. when
 * d_i >= d_j 10^(H / (10 n)). (Exact above d0, where both losses follow the log law.)
 */
export function hysteresisDistanceRatio(model: PathLoss, hysteresisDb: number): number {
  return 10 ** (hysteresisDb / (10 * model.exponent));
}

/** Thermal noise density at 290 K, kT = -174 dBm/Hz (Johnson-Nyquist; ITU-R P.372 reference temperature). */
export const THERMAL_NOISE_DBM_PER_HZ = -174;

/** The settings of the rate that falls with distance. */
export interface RateModel {
  pathLoss: PathLoss;
  txPowerDbm: number;
  bandwidthHz: number;
  noiseFigureDb: number;
  /** Share of the Shannon rate that reaches the application (MAC and protocol overheads). */
  efficiency: number;
}

/**
 * A device's rate at distance d, bit/s: efficiency x B log2(1 + SNR), with
 * SNR(dB) = P_tx - PL(d) - (-174 + 10 log10 B + NF), capped at the AP's capacity. Shannon's
 * capacity (notes §5) scaled by a MAC efficiency (Cisco assumes 65% at the top MCS) stands in for
 * an MCS table, whose SNR thresholds the notes could not source.
 */
export function rateAtDistance(model: RateModel, distanceM: number, capacityBps: number): number {
  const noiseDbm = THERMAL_NOISE_DBM_PER_HZ + 10 * Math.log10(model.bandwidthHz) + model.noiseFigureDb;
  const snrDb = model.txPowerDbm - pathLossDb(model.pathLoss, distanceM) - noiseDbm;
  const shannon = model.bandwidthHz * Math.log2(1 + 10 ** (snrDb / 10));
  return Math.min(capacityBps, model.efficiency * shannon);
}
