import { describe, expect, it } from "vitest";
import { BENCH_EXTRAS, parseBenchArgs } from "../../src/bench/bench-args.js";

const MODELS = ["mm1", "mm4", "edge-offload"];

describe("npm run bench's arguments, checked before anything runs", () => {
  it("reads names, --json and --help; with no name the default set runs", () => {
    expect(parseBenchArgs([], MODELS)).toEqual({ names: [], json: false, help: false });
    expect(parseBenchArgs(["mm4", "scale", "--json", "mm4"], MODELS)).toEqual({ names: ["mm4", "scale"], json: true, help: false });
    expect(parseBenchArgs(["--help"], MODELS)).toEqual({ names: [], json: false, help: true });
    expect(parseBenchArgs(["-h"], MODELS)).toMatchObject({ help: true });
    for (const extra of BENCH_EXTRAS) expect(parseBenchArgs([extra], MODELS)).toMatchObject({ names: [extra] });
  });

  it("refuses a misspelt name or option with the nearest valid one (it used to run nothing, or everything)", () => {
    expect(parseBenchArgs(["mm11"], MODELS)).toEqual({ error: `no benchmark named "mm11"; did you mean "mm1"? known: mm1, mm4, edge-offload, ${BENCH_EXTRAS.join(", ")}` });
    expect(parseBenchArgs(["startpu"], MODELS)).toMatchObject({ error: expect.stringMatching(/^no benchmark named "startpu"; did you mean "startup"\?/) });
    expect(parseBenchArgs(["--jsn"], MODELS)).toEqual({ error: 'unknown option --jsn; did you mean "--json"? known: --json, --vs-reference, --pairs, --help' });
    expect(parseBenchArgs(["-x"], MODELS)).toMatchObject({ error: expect.stringMatching(/^unknown option -x; known: /) });
  });

  it("takes --pairs with its value only where startup runs", () => {
    expect(parseBenchArgs(["startup", "--pairs", "9"], MODELS)).toEqual({ names: ["startup"], json: false, help: false });
    // With no name, startup is in the default set.
    expect(parseBenchArgs(["--pairs", "9"], MODELS)).toEqual({ names: [], json: false, help: false });
    expect(parseBenchArgs(["fit", "--pairs", "9"], MODELS)).toEqual({ error: "--pairs applies to startup and to --vs-reference, and neither is named" });
  });
});
