import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/io/csv.js";
import { CsvFileWriter, csvField, csvLine } from "../../src/io/csv-write.js";

describe("the one CSV writer (RFC 4180)", () => {
  it("quotes a field holding a comma, a quote, CR or LF (quotes doubled), and edge white space; leaves the rest bare", () => {
    expect(csvField("rr, fast")).toBe('"rr, fast"');
    expect(csvField('cam"1')).toBe('"cam""1"');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField("a\rb")).toBe('"a\rb"');
    expect(csvField(" padded")).toBe('" padded"');
    expect(csvField("round-robin")).toBe("round-robin");
    expect(csvField("")).toBe("");
    expect(csvLine(["x", 1.5, true, false, Number.NaN, -0.25])).toBe("x,1.5,1,0,,-0.25");
  });

  it("a label 'rr, fast' and a device id with a quote read back by parseCsv with equal column counts and the same values", () => {
    const file = join(mkdtempSync(join(tmpdir(), "csv-write-")), "tasks.csv");
    const writer = new CsvFileWriter(file, ["sequence", "scheduler", "device", "note", "total", "violated"]);
    const rows = [
      [1, "rr, fast", 'cam"1', "plain", 12.5, false],
      [2, 'say "hi", then\r\nleave', "cam-2", " spaced ", 0.001, true],
      [3, "round-robin", "cam-3", "", 7, false],
    ] as const;
    for (const row of rows) writer.row(row);
    writer.commit();
    const parsed = parseCsv(readFileSync(file, "utf8"));
    expect(parsed.map((row) => row.length)).toEqual([6, 6, 6, 6]);
    expect(parsed[0]).toEqual(["sequence", "scheduler", "device", "note", "total", "violated"]);
    expect(parsed.slice(1)).toEqual(rows.map((row) => row.map((cell) => (typeof cell === "boolean" ? (cell ? "1" : "0") : String(cell)))));
  });

  it("refuses a row whose cell count differs from the header's (the bug this writer exists to stop)", () => {
    const file = join(mkdtempSync(join(tmpdir(), "csv-write-")), "tasks.csv");
    const writer = new CsvFileWriter(file, ["a", "b"]);
    expect(() => writer.row(["only one"])).toThrow(/1 cells for 2 columns/);
    writer.abort();
  });
});
