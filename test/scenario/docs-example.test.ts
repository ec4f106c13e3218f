import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { REPO } from "../cli/helpers.js";

describe("docs/scenario-format.md", () => {
  it("its example (a detector and a language model on one board) is a valid scenario with both families", () => {
    const text = readFileSync(join(REPO, "docs", "scenario-format.md"), "utf8");
    const block = /```json\n([\s\S]*?)```/.exec(text);
    expect(block).not.toBeNull();
    const scenario = resolveScenario(JSON.parse((block as RegExpExecArray)[1]), { baseDir: join(REPO, "scenarios") }, "docs example");
    expect(scenario.families).toEqual({ frames: true, queries: true });
    const board = scenario.nodes[0];
    expect(board.frames).toBeDefined();
    expect(board.llm?.model).toBe("llama-3.2-1b");
    expect(board.units.frames).toBe(board.units.llm);
  });
});
