// First: it must run before @pulumi/pulumi loads.
import "./stacks/deferredSdkModules";
import * as pulumi from "@pulumi/pulumi";
import { isAbsolute } from "node:path";
import { Release } from "./components/release";
import { SlipwayInputError } from "./plan/errors";
import { planToDeclare } from "./plan/releaseRecord";
import { StackSettings } from "./plan/stackConfig";
import { checkProjectFiles, loadStackConfig, releaseArgs, rememberedReleases } from "./stacks/config";
import { filterSdkDebugLines } from "./stacks/debugLog";
import { startDynamicProviderHost, useNodeStackTraces } from "./stacks/programStart";

// Validation and planning happen before any resource is declared: a bad setting stops here, reported as
// the one line that names the setting, the value and the fix (RunError prints no stack trace).
function orStop<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof SlipwayInputError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

/**
 * The slipway Pulumi program. A user's `Pulumi.yaml` points `main` at it (`node_modules/slipway/lib/program.js`);
 * the project directory is the one holding that `Pulumi.yaml` (the user's repository), never slipway's own.
 */
export = async () => {
  useNodeStackTraces();
  filterSdkDebugLines();
  // The engine passes the directory of Pulumi.yaml; under test mocks it is a relative placeholder.
  const root = pulumi.getRootDirectory();
  const projectDir = isAbsolute(root) ? root : process.cwd();
  const memory = await rememberedReleases();
  const loaded: StackSettings = orStop(() => loadStackConfig(memory.published));
  // A version already published from this commit changes nothing: the stack's last plan is declared again.
  const settings: StackSettings = { ...loaded, plan: planToDeclare(loaded.plan, memory.applied) };
  const files = orStop(() => checkProjectFiles(settings, projectDir));
  const plan = settings.plan;
  // Once the settings are valid (bad input starts nothing): the engine starts the host while Release declares.
  await startDynamicProviderHost();

  const republished = plan !== loaded.plan;
  const release = orStop(() => new Release(plan.name, { ...releaseArgs(settings, projectDir, files), republished }));

  return {
    /** The plan this update carried out, for review in previews and for `slipway verify`. */
    releasePlan: plan,
    /** Asset name → sha256 of the release files. */
    assets: release.assets,
    /** Registry → tag → digest. */
    tags: release.tags,
    /** The GitHub release page or the local release directory. */
    location: release.location,
    /** The signing public keys (PEM, current slot first): a rotation shows here before a release publishes it in cosign.pub. */
    publicKeys: release.publicKeys,
    /** Every release this stack published: the record of earlier updates plus this one once it finished. */
    releases: release.record.apply((record) => ({ ...memory.releases, [plan.version]: record })),
  };
};
