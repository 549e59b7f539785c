import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AWS_REGION } from "../../plan/aws";

describe("AWS_REGION", () => {
  const rows: [string, boolean][] = [
    ["eu-west-1", true],
    ["us-east-2", true],
    ["ap-southeast-3", true],
    ["us-gov-west-1", true],
    ["us-isob-east-1", true],
    ["us-iso-east-1", true],
    ["xeu-west-1", false],
    ["eu-west-1x", false],
    ["eu-west", false],
    ["EU-WEST-1", false],
    ["eu-west-12", false],
    ["europe-west1", false],
    ["", false],
  ];
  for (const [region, valid] of rows)
    it(`${JSON.stringify(region)} ${valid ? "is" : "is not"} a region`, () => assert.equal(AWS_REGION.test(region), valid));
});
