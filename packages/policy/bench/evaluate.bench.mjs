// Prints how the evaluator and the compiler cost relative to a baseline measured in the same run:
// the least work any evaluator does for one request (parse the requested resource, match it
// against one pattern). Run after `npm run build`: `npm run bench -w @pulse/policy`.
import { parseResource, resourceCovers } from "@pulse/core";
import { compilePolicy, evaluate, formatPolicy } from "../dist/index.js";

const now = new Date("2026-12-04T12:00:00Z");

function grant(i) {
  return `grant g${i} {
  principal human "user-${i}"
  resources ["s3://acme-reports/team-${i}/*", "pg://appdb/public.t${i}"]
  actions [read, list]
  justification "CHG-${i}" "Bench grant ${i}."
  expires 2027-06-30
  max-lifetime 15m
  network ["10.${i % 250}.0.0/16"]
  window mon-fri 08:00-18:00 in "Europe/Berlin"
}
`;
}

function policyOf(count) {
  const text = Array.from({ length: count }, (_, i) => grant(i)).join("\n");
  return { text, set: compilePolicy([{ file: "bench.pulse", text }], { now }) };
}

function opsPerSecond(fn, minMs = 300) {
  for (let i = 0; i < 200; i++) fn();
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (let i = 0; i < 50; i++) fn();
    runs += 50;
  }
  return runs / ((performance.now() - start) / 1000);
}

const request = (i) => ({
  principal: { class: "human", id: `user-${i}` },
  requests: [{ resource: `s3://acme-reports/team-${i}/q1.csv`, action: "read" }],
  context: { sourceIp: `10.${i % 250}.3.4`, time: new Date("2027-01-04T10:00:00Z"), flags: {} },
});

const pattern = parseResource("s3://acme-reports/team-7/*", { pattern: true });
const baseline = opsPerSecond(() =>
  resourceCovers(pattern, parseResource("s3://acme-reports/team-7/q1.csv", { pattern: true })),
);

const small = policyOf(10);
const large = policyOf(1000);
const evalSmall = opsPerSecond(() => evaluate(small.set, request(7)));
const evalLarge = opsPerSecond(() => evaluate(large.set, request(777)));
if (evaluate(large.set, request(777)).outcome !== "issue")
  throw new Error("bench request not issued");
const compileSmall = opsPerSecond(() =>
  compilePolicy([{ file: "b.pulse", text: small.text }], { now }),
);

// Large inputs: a file of comments and a set whose every grant is invalid. Both must stay linear.
const comments = "# a comment line\n".repeat(20_000);
const commentsMore = "# a comment line\n".repeat(80_000);
const bad = (n) =>
  Array.from({ length: n }, (_, i) =>
    grant(i).replace("actions [read, list]", "actions [fly]"),
  ).join("\n");
const time = (fn) => {
  fn(); // warm up
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const tryCompile = (text) => () => {
  try {
    compilePolicy([{ file: "bad.pulse", text }], { now });
  } catch {
    // every grant is refused: that is the point
  }
};
const commentRatio = time(() => formatPolicy(commentsMore)) / time(() => formatPolicy(comments));
const badSmall = bad(500);
const badLarge = bad(2000);
const errorRatio = time(tryCompile(badLarge)) / time(tryCompile(badSmall));

const COST = "the baseline's cost";
const ratio = (ops) => (baseline / ops).toFixed(1);
console.log(`baseline (parse + match one resource): ${Math.round(baseline)} ops/s`);
console.log(`evaluate, 10 grants:    ${Math.round(evalSmall)} ops/s, ${ratio(evalSmall)}x ${COST}`);
console.log(`evaluate, 1000 grants:  ${Math.round(evalLarge)} ops/s, ${ratio(evalLarge)}x ${COST}`);
console.log(
  `evaluate 1000 / 10 grants, cost ratio: ${(evalSmall / evalLarge).toFixed(2)} ` +
    "(about 1: grants are indexed by principal, so unrelated grants cost nothing)",
);
console.log(
  `compile 10 grants:      ${Math.round(compileSmall)} ops/s, ${ratio(compileSmall)}x ${COST}`,
);
const growth = "(linear ~4, quadratic ~16)";
console.log(`format 80k / 20k comment lines, time ratio: ${commentRatio.toFixed(1)} ${growth}`);
console.log(`compile 2000 / 500 invalid grants, time ratio: ${errorRatio.toFixed(1)} ${growth}`);
