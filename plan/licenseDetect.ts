// Names the license of a LICENSE file by its standard opening (or, for texts that open with a copyright
// line, by the clauses that tell them apart). Only the common licenses of Go projects; anything else is
// undefined, and `init` then writes no slipway:licenses.

interface LicenseRule {
  readonly spdx: string;
  readonly test: (text: string) => boolean;
}

const MIT_GRANT = "permission is hereby granted, free of charge, to any person obtaining a copy";
const ISC_GRANT =
  "permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted, provided that the above copyright notice";
const BSD_GRANT = "redistribution and use in source and binary forms, with or without modification, are permitted";

function bsdClauses(text: string): 2 | 3 | 4 | undefined {
  if (!text.includes(BSD_GRANT)) return undefined;
  if (text.includes("all advertising materials")) return 4;
  if (/neither the names? of/.test(text) || text.includes("may be used to endorse or promote products")) return 3;
  return 2;
}

/** In order: the first rule that matches names the license. Texts are lowercased with whitespace collapsed. */
const RULES: readonly LicenseRule[] = [
  { spdx: "Apache-2.0", test: (t) => /^apache license,? version 2\.0\b/.test(t) },
  { spdx: "MPL-2.0", test: (t) => /^mozilla public license,? version 2\.0\b/.test(t) },
  { spdx: "GPL-3.0-only", test: (t) => /^gnu general public license version 3, 29 june 2007\b/.test(t) },
  { spdx: "MIT", test: (t) => /^(the )?mit license\b/.test(t) || t.includes(MIT_GRANT) },
  { spdx: "ISC", test: (t) => /^(the )?isc license\b/.test(t) || t.includes(ISC_GRANT) },
  { spdx: "BSD-3-Clause", test: (t) => /^bsd 3-clause license\b/.test(t) || bsdClauses(t) === 3 },
  { spdx: "BSD-2-Clause", test: (t) => /^bsd 2-clause license\b/.test(t) || bsdClauses(t) === 2 },
];

/**
 * The SPDX id of a LICENSE text: MIT, Apache-2.0, BSD-3-Clause, BSD-2-Clause, MPL-2.0, ISC or
 * GPL-3.0-only (the LICENSE text cannot say "or later"; that is in the source headers). Undefined when
 * the text is none of them.
 */
export function detectLicense(text: string): string | undefined {
  const normalized = text
    .replace(/^\uFEFF/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
  return RULES.find((rule) => rule.test(normalized))?.spdx;
}
