import type { InputIssue } from "../errors.js";
import type { DistributionSpec } from "../random/distribution-spec.js";
import type { CompiledDistribution } from "../random/distributions.js";
import { compileCollecting, lookupProfile } from "./input-lookups.js";
import type { HardwareProfile } from "./profile-schema.js";
import type { ProfileLibrary } from "./profiles.js";

/**
 * What every part of the resolver shares: the problems found so far (every one is collected, so
 * a file with three mistakes gets three messages), the profiles used (they enter the hash), and
 * the folder relative paths are read from.
 */
export class ResolveContext {
  readonly issues: InputIssue[] = [];
  readonly profiles: Record<string, HardwareProfile> = {};

  constructor(
    readonly library: ProfileLibrary,
    readonly baseDir: string,
  ) {}

  fail(path: string, value: unknown, expected: string): void {
    this.issues.push({ path, value, expected });
  }

  compile(spec: DistributionSpec, path: string): CompiledDistribution | undefined {
    return compileCollecting(spec, path, this.issues);
  }

  profile(id: string, path: string): HardwareProfile | undefined {
    return lookupProfile(this.library, id, path, this.issues, this.profiles);
  }

  /** The profile without reporting a problem (reported where the profile is used). */
  quietProfile(id: string): HardwareProfile | undefined {
    if (this.profiles[id] !== undefined) return this.profiles[id];
    return lookupProfile(this.library, id, "", [], {});
  }
}
