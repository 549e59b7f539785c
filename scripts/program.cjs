"use strict";
// This repository's own stacks (Pulumi.yaml) run slipway's compiled program, lib/program.js, as an installed
// slipway does: no TypeScript compiler in the engine's process. lib/ is rebuilt first when a source changed.
const path = require("node:path");
require("./build.cjs").buildIfStale();
// Resolved at run time: lib/ does not exist in a fresh clone until this first run builds it.
module.exports = /** @type {unknown} */ (require(path.join(__dirname, "..", "lib", "program.js")));
