/**
 * Per node, how busy it is over the measurement window, whatever services it hosts: each service
 * reports a load level in [0, 1] and the node's activity is min(1, sum of levels); the node's
 * time down is tracked too. Utilisation = activity's time average over the window; energy = idle
 * power while up plus (busy - idle) x activity (for a single service this is today's per-service
 * rule: busy slots / slots, or a non-empty batch).
 */
export class NodeActivity {
  private readonly levels: Float64Array;
  private readonly activity: Float64Array;
  private readonly down: Uint8Array;
  private readonly since: Float64Array;
  private readonly activityArea: Float64Array;
  private readonly downArea: Float64Array;

  constructor(
    nodeCount: number,
    private readonly fromMs: number,
    private readonly toMs: number,
  ) {
    this.levels = new Float64Array(nodeCount * 2);
    this.activity = new Float64Array(nodeCount);
    this.down = new Uint8Array(nodeCount);
    this.since = new Float64Array(nodeCount);
    this.activityArea = new Float64Array(nodeCount);
    this.downArea = new Float64Array(nodeCount);
  }

  /** Integrates node's state up to `now`, clipped to the window. */
  private advance(node: number, now: number): void {
    const from = Math.max(this.since[node], this.fromMs);
    const to = Math.min(now, this.toMs);
    if (to > from) {
      this.activityArea[node] += this.activity[node] * (to - from);
      if (this.down[node] === 1) this.downArea[node] += to - from;
    }
    this.since[node] = now;
  }

  loadChanged(node: number, family: "frames" | "llm", level: number, now: number): void {
    this.advance(node, now);
    this.levels[node * 2 + (family === "frames" ? 0 : 1)] = level;
    this.activity[node] = Math.min(1, this.levels[node * 2] + this.levels[node * 2 + 1]);
  }

  downChanged(node: number, down: boolean, now: number): void {
    this.advance(node, now);
    this.down[node] = down ? 1 : 0;
  }

  /** Closes the integrals at the end of the run. */
  finish(now: number): void {
    for (let node = 0; node < this.activity.length; node++) this.advance(node, now);
  }

  get windowMs(): number {
    return this.toMs - this.fromMs;
  }

  utilisation(node: number): number {
    return this.windowMs > 0 ? this.activityArea[node] / this.windowMs : 0;
  }

  downMs(node: number): number {
    return this.downArea[node];
  }

  energyJoules(node: number, power: { readonly idleW: number; readonly busyW: number } | undefined): number | null {
    if (power === undefined) return null;
    return (power.idleW * (this.windowMs - this.downArea[node]) + (power.busyW - power.idleW) * this.activityArea[node]) / 1000;
  }
}
