"use strict";
// What slipway's two Node.js processes under the engine do before @pulumi/pulumi's own script starts: the
// program's run harness (cmd/run, through program-preload.cjs) and the dynamic-provider host
// (cmd/dynamic-provider, through dynamic-provider/host.cjs).
// - The SDK modules neither process uses are deferred (lib/stacks/deferredSdkModules.js says which and what
//   they cost); for the harness this must happen before it loads, as its tracing loads OpenTelemetry.
// - source-map-support is skipped. Both scripts start by installing it, and it then maps the frames of every
//   stack trace: the SDK takes one for each resource and each promise it makes, and parses its own source
//   maps for the first ones. slipway's compiled program and providers ship no source maps, so it only costs
//   time: about 50 ms of the program's start and 30 ms of the host's, both on the way to the first resource.
//   Node still maps frames itself when run with --enable-source-maps.
const { existsSync } = require("node:fs");
const Module = require("node:module");
const { join } = require("node:path");

const DEFERRAL = join(__dirname, "..", "lib", "stacks", "deferredSdkModules.js");

/**
 * Puts an empty module in require's cache where `require("source-map-support/register")` from `dir` would
 * load the real one. Without source-map-support there (an SDK that no longer uses it), nothing to skip.
 * @param {string} dir
 */
function skipSourceMapSupport(dir) {
  let register;
  try {
    register = require.resolve("source-map-support/register", { paths: [dir] });
  } catch {
    return;
  }
  const empty = new Module(register);
  empty.filename = register;
  empty.loaded = true;
  require.cache[register] = empty;
}

/**
 * @param {string} projectDir the directory the engine starts the process in, from which it resolves the SDK
 * @param {string} scriptDir the directory of the SDK's script about to run
 */
function prepareSdkStart(projectDir, scriptDir) {
  // A checkout's lib/ is built by its program's first run; before that (a fresh clone) the process runs
  // without the deferral, which only saves time.
  if (existsSync(DEFERRAL)) require(DEFERRAL).deferSdkModules(projectDir);
  skipSourceMapSupport(scriptDir);
}

module.exports = { prepareSdkStart };
