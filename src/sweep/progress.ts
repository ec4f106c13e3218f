/** Where progress goes: a terminal gets a redrawn bar, anything else (CI logs, files) plain lines. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/**
 * done/total, runs per second and ETA. On a TTY one line is redrawn at most 10 times a second;
 * otherwise a line is printed at every 10% and at least every 30 s, so a CI log shows the sweep
 * is alive without thousands of lines.
 */
export class Progress {
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastLinePercent = -1;
  private lastLineTime = Date.now();
  private done = 0;
  private failed = 0;

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream,
    private readonly label: string,
  ) {}

  /** One more run finished in this session. */
  tick(ok: boolean): void {
    this.done++;
    if (!ok) this.failed++;
    const now = Date.now();
    if (this.stream.isTTY === true) {
      if (now - this.lastDraw >= 100 || this.done === this.total) {
        this.lastDraw = now;
        this.stream.write(`\r${this.bar()}\x1b[K`);
      }
      return;
    }
    const percent = this.total === 0 ? 100 : Math.floor((this.done * 10) / this.total) * 10;
    if (percent > this.lastLinePercent || now - this.lastLineTime >= 30_000 || this.done === this.total) {
      this.lastLinePercent = percent;
      this.lastLineTime = now;
      this.stream.write(`${this.label}: ${this.status()}\n`);
    }
  }

  /** Prints a message without breaking the bar. */
  note(message: string): void {
    this.stream.write(this.stream.isTTY === true ? `\r\x1b[K${message}\n${this.bar()}` : `${message}\n`);
  }

  finish(): void {
    if (this.stream.isTTY === true && this.total > 0) this.stream.write("\n");
  }

  private bar(): string {
    const width = 24;
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    return `${this.label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${this.status()}`;
  }

  private status(): string {
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const eta = this.done >= this.total ? 0 : rate > 0 ? (this.total - this.done) / rate : Number.NaN;
    const failed = this.failed > 0 ? `, ${this.failed} failed` : "";
    return `${this.done}/${this.total} runs${failed}, ${rate.toFixed(1)} runs/s, ETA ${formatSeconds(eta)}`;
  }
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}
