"use strict";
// This repository's own stacks (Pulumi.yaml) run slipway's compiled program, lib/program.js, as an installed
// slipway does: no TypeScript compiler in the engine's process. lib/ is rebuilt first when a source changed.
require("./build.cjs").buildIfStale();
module.exports = require("../lib/program.js");
