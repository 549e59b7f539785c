"use strict";
// Loaded before the engine's run harness (@pulumi/pulumi/cmd/run) by `--require`, which Pulumi.yaml's
// runtime.options.nodeargs gives node (sdkStart.cjs says what it saves). The harness is node's main script,
// already in process.argv[1] when this runs; node runs in the directory the harness was resolved from.
const { dirname } = require("node:path");
const { prepareSdkStart } = require("./sdkStart.cjs");

if (process.argv[1] !== undefined) prepareSdkStart(process.cwd(), dirname(process.argv[1]));
