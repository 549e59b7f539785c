import * as pulumi from "@pulumi/pulumi";
import { SlipwayInputError } from "./plan/errors";
import { StackSettings } from "./plan/stackConfig";
import { loadStackConfig } from "./stacks/config";

// Validation and planning happen before any resource is declared: a bad setting stops here, reported as
// the one line that names the setting, the value and the fix (RunError prints no stack trace).
function settingsOrStop(): StackSettings {
  try {
    return loadStackConfig();
  } catch (error) {
    if (error instanceof SlipwayInputError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

const settings = settingsOrStop();

/** The release plan this update carries out, for review in previews and for `slipway verify`. */
export const releasePlan = settings.plan;
