// @ts-check
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "lib/",
      ".pulumi/",
      "bin/",
      "examples/",
      "tools/",
      "eslint.config.mjs",
      "stryker.config.mjs",
      "reports/",
      ".stryker-tmp*/",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          // node:test registers suites synchronously; the promises it returns are the runner's to await.
          allowForKnownSafeCalls: [
            {
              from: "package",
              package: "node:test",
              name: ["describe", "it", "test", "suite", "before", "after", "beforeEach", "afterEach"],
            },
          ],
        },
      ],
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/consistent-type-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
    },
  },
  {
    // The repository's build and stack entry run before lib/ exists: plain CommonJS, type-checked through JSDoc.
    files: ["scripts/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["components/**/*.ts", "plan/**/*.ts", "stacks/**/*.ts", "engine/**/*.ts", "index.ts"],
    rules: { "no-console": "error" },
  },
  {
    // plan/ is pure planning code, importable and testable without the Pulumi runtime.
    files: ["plan/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@pulumi/*"], message: "plan/ is pure: declare resources in components/, not here." }] },
      ],
    },
  },
);
