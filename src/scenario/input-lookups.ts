import { InputError, type InputIssue } from "../errors.js";
import type { DistributionSpec } from "../random/distribution-spec.js";
import { compileDistribution, type CompiledDistribution } from "../random/distributions.js";
import type { HardwareProfile } from "./profile-schema.js";
import type { ProfileLibrary } from "./profiles.js";

/**
 * Lookups both scenario loaders (video and language-model) make while collecting every problem
 * instead of stopping at the first: a bad input becomes issues at `path`, and undefined.
 */

/** A profile by id, remembered in `used` (it enters the scenario hash); unknown or invalid: issues. */
export function lookupProfile(library: ProfileLibrary, id: string, path: string, issues: InputIssue[], used: Record<string, HardwareProfile>): HardwareProfile | undefined {
  if (!library.has(id)) {
    issues.push({ path, value: id, expected: `a known hardware profile (known: ${library.ids.join(", ")})` });
    return undefined;
  }
  try {
    const profile = library.get(id);
    used[id] = profile;
    return profile;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const issue of error.issues) issues.push({ path, value: id, expected: `a valid profile; ${error.source} ${issue.path}: ${issue.expected}` });
    return undefined;
  }
}

/** A compiled distribution, or its problems as issues. */
export function compileCollecting(spec: DistributionSpec, path: string, issues: InputIssue[]): CompiledDistribution | undefined {
  try {
    return compileDistribution(spec, path);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}
