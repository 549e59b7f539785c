import { loadStackConfig } from "./stacks/config";

// Validation and planning happen before any resource is declared: a bad setting stops here.
const settings = loadStackConfig();

/** The release plan this update carries out, for review in previews and for `slipway verify`. */
export const releasePlan = settings.plan;
