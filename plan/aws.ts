// AWS names slipway checks before anything is declared.

/** An AWS region: `eu-west-1`, `us-gov-west-1`, `us-isob-east-1`. */
export const AWS_REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;
