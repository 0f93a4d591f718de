/**
 * A JavaScript file whose one function the offline `quality/complex-function` rule reports (cognitive
 * complexity well over its limit of 40, eight nested loop-and-branch blocks), for the tests of the offline
 * depth: that rule runs only at depth `thorough`, so `precise` (the default) stays silent on this file.
 */
export function complexPlanJs(): string {
  const branches = Array.from(
    { length: 8 },
    (_, i) =>
      `    for (const o of orders) {\n      if (o.kind === ${i}) {\n        for (const s of o.items) {\n          if (s.qty > ${i} && s.ok || s.force) {\n            if (s.tag) n += ${i};\n            else n -= 1;\n          }\n        }\n      }\n    }`,
  ).join('\n');
  return `export function plan(orders) {\n  let n = 0;\n  if (orders) {\n${branches}\n  }\n  return n;\n}\n`;
}
