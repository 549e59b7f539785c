#!/usr/bin/env node
"use strict";
// Runs the TypeScript CLI through tsx, so a fresh clone needs only `npm ci`.
require("tsx/cjs");
const { main } = require("../cli/main.ts");
const code = main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
// Commands that drive the engine answer with a promise; their errors are already reported as exit codes.
Promise.resolve(code).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
