import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export { writeFileAtomic } from "../io/atomic-file.js";

/**
 * A line-oriented file written through a temp file: `commit` renames it into place, `abort`
 * deletes it, so a failed run never leaves a half-written file under the final name.
 */
export class AtomicLineWriter {
  private readonly temp: string;
  private readonly fd: number;
  private buffer: string[] = [];
  private bufferedChars = 0;
  private closed = false;

  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.temp = `${file}.tmp-${process.pid}`;
    this.fd = openSync(this.temp, "w");
  }

  writeLine(line: string): void {
    this.buffer.push(line);
    this.bufferedChars += line.length + 1;
    if (this.bufferedChars > 1 << 20) this.flush();
  }

  commit(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.closed = true;
    renameSync(this.temp, this.file);
  }

  abort(): void {
    if (!this.closed) {
      closeSync(this.fd);
      this.closed = true;
    }
    if (existsSync(this.temp)) rmSync(this.temp, { force: true });
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, `${this.buffer.join("\n")}\n`);
    this.buffer = [];
    this.bufferedChars = 0;
  }
}
