import { dirname, resolve } from "node:path";
import { InputError } from "../errors.js";
import { RandomStreams } from "../engine/rng.js";
import { distributionSpecSchema } from "../random/distribution-spec.js";
import { compileDistribution } from "../random/distributions.js";
import { resolveAndCheck } from "../run/run-scenario.js";
import { codeNamedIn, describeNamedCode } from "../schedulers/named-code.js";
import { LLM_PATHS } from "../scenario/profile-schema.js";
import { BUILTIN_PROFILE_DIR, ProfileLibrary } from "../scenario/profiles.js";
import { parseJsonText } from "../scenario/resolve.js";
import { toInputIssues } from "../scenario/zod-issues.js";
import { writeStdout, writeStdoutLines } from "./stdout.js";

/** How a command prints: the tables (default), only what a script needs (--quiet), or one JSON value (--json). */
export interface PrintMode {
  quiet?: boolean;
  json?: boolean;
}

/** `simulate validate`: check without simulating; `document` is the file as read (readScenarioDocument in main.ts). */
export async function validateCommand(file: string, document: () => unknown, maxEvents: number | undefined, mode: PrintMode): Promise<void> {
  let checked: { scenario: ReturnType<typeof resolveAndCheck>; json: unknown };
  try {
    const json = document();
    checked = { scenario: resolveAndCheck(file, json, maxEvents), json };
  } catch (error) {
    // Scripts read stdout: with --json the problems are there too (stderr keeps the text, exit stays 2).
    if (mode.json && error instanceof InputError) await writeStdout(`${JSON.stringify({ ok: false, source: error.source, problems: error.issues })}\n`);
    throw error;
  }
  const { scenario, json } = checked;
  const code = codeNamedIn(json, dirname(resolve(file)));
  const families = (["frames", "queries", "applications"] as const).filter((family) => scenario.families[family] === true);
  if (mode.json) {
    const summary = {
      ok: true,
      file,
      devices: scenario.devices.length,
      nodes: scenario.nodes.length,
      families,
      policies: scenario.policies.map((entry) => entry.label),
      runsCode: code.map((entry) => ({ path: entry.path, runs: entry.runs })),
    };
    await writeStdout(`${JSON.stringify(summary)}\n`);
    return;
  }
  if (mode.quiet) return;
  // The application services a node may host (stages placeable there), in the order written.
  const stageServices = scenario.nodes.map((node) => {
    const names: string[] = [];
    for (const app of scenario.applications ?? [])
      for (const stage of app.stages) if (stage.hosts.some((host) => host.place === node.index) && !names.includes(stage.service)) names.push(stage.service);
    return names.length === 0 ? "" : `stages of ${names.join(", ")}`;
  });
  const services = scenario.nodes
    .map(
      (node) =>
        `${node.id} (${
          [node.frames === undefined ? "" : `slots on ${node.frames.path}`, node.llm === undefined ? "" : `${node.llm.model} ${node.llm.quantization} on ${node.llm.path}`, stageServices[node.index]]
            .filter((x) => x !== "")
            .join(", ") || "no service"
        })`,
    )
    .join("; ");
  await writeStdout(
    `ok: ${file}: ${scenario.devices.length} devices (${families.join(" and ")}), ${scenario.nodes.length} nodes: ${services}; ` +
      `policies ${scenario.policies.map((entry) => entry.label).join(", ")}\n` +
      describeNamedCode(code),
  );
}

/** `simulate sample`: n draws, one per line, streamed in chunks at the pace of the reader (O(chunk) memory). */
export async function sampleCommand(specText: string, n: number, seed: string): Promise<void> {
  if (!(Number.isInteger(n) && n >= 0)) throw new InputError("-n", [{ path: "", value: n, expected: "a non-negative whole number" }]);
  let json: unknown;
  const trimmed = specText.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) json = parseJsonText("distribution spec", trimmed);
  else json = /^-?[\d.]+(e[-+]?\d+)?$/i.test(trimmed) ? Number(trimmed) : trimmed;
  const parsed = distributionSpecSchema.safeParse(json);
  if (!parsed.success) throw new InputError("distribution spec", toInputIssues(parsed.error, json, distributionSpecSchema));
  const draw = compileDistribution(parsed.data, "spec").bind(new RandomStreams(seed).stream("sample"));
  let drawn = 0;
  await writeStdoutLines(() => (drawn++ < n ? String(draw()) : undefined));
}

/** `simulate profiles`: one line per shipped profile; --quiet the ids only; --json the list. */
export async function profilesCommand(mode: PrintMode): Promise<void> {
  const library = new ProfileLibrary([BUILTIN_PROFILE_DIR]);
  const profiles = library.ids.map((id) => ({ id, profile: library.get(id) }));
  if (mode.json) {
    const list = profiles.map(({ id, profile }) => ({
      id,
      name: profile.name,
      role: profile.role,
      accelerator: profile.accelerator.kind,
      models: Object.keys(profile.models),
      llm: Object.fromEntries(LLM_PATHS.filter((p) => profile.llm?.[p] !== undefined).map((p) => [p, Object.keys(profile.llm?.[p]?.models ?? {})])),
    }));
    await writeStdout(`${JSON.stringify(list)}\n`);
    return;
  }
  let index = 0;
  await writeStdoutLines(() => {
    if (index >= profiles.length) return undefined;
    const { id, profile } = profiles[index++];
    if (mode.quiet) return id;
    const models = Object.keys(profile.models).join(", ") || "-";
    const llm =
      profile.llm === undefined
        ? ""
        : ` llm: ${LLM_PATHS.filter((p) => profile.llm?.[p] !== undefined)
            .map((p) => `${p} ${Object.keys(profile.llm?.[p]?.models ?? {}).length} models`)
            .join(", ")}`;
    return `${id.padEnd(28)} ${profile.role.padEnd(10)} ${profile.accelerator.kind.padEnd(5)} ${profile.name} [${models}]${llm}`;
  });
}
