// Which rules a rule may depend on. A dependency suppresses the rule while it fires for the same
// instance (CPU usage waits on Host offline), so it must exist, must not be the rule itself, and
// must not lead back to the rule: in a cycle each rule would wait on the other.
import type { FieldIssue } from '@esmon/schema';

export interface RuleNode {
  id: number;
  name: string;
  dependsOn: readonly number[];
}

/**
 * Problems of giving rule `ruleId` (undefined for a rule not saved yet, which nothing can depend
 * on) the dependencies `dependsOn`, given every saved rule; paths are `dependsOn[i]`.
 */
export function dependencyProblems(
  ruleId: number | undefined,
  dependsOn: readonly number[],
  rules: readonly RuleNode[],
): FieldIssue[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const name = (id: number) => `"${byId.get(id)?.name ?? id}"`;
  const edges = (id: number) => (id === ruleId ? dependsOn : (byId.get(id)?.dependsOn ?? []));
  const problems: FieldIssue[] = [];
  dependsOn.forEach((dep, i) => {
    const path = `dependsOn[${i}]`;
    if (dep === ruleId) {
      problems.push({ path, message: 'a rule cannot depend on itself' });
    } else if (!byId.has(dep)) {
      problems.push({ path, message: `there is no rule ${dep}` });
    } else if (ruleId !== undefined) {
      const back = pathBetween(dep, ruleId, edges);
      if (back)
        problems.push({
          path,
          message: `depending on ${name(dep)} makes a cycle: ${[ruleId, ...back].map(name).join(' → ')}`,
        });
    }
  });
  return problems;
}

/** A path of ids from `from` to `to` along `edges`, or undefined. Cycles elsewhere are walked once. */
function pathBetween(
  from: number,
  to: number,
  edges: (id: number) => readonly number[],
): number[] | undefined {
  const seen = new Set<number>();
  const walk = (id: number): number[] | undefined => {
    if (id === to) return [id];
    if (seen.has(id)) return undefined;
    seen.add(id);
    for (const next of edges(id)) {
      const rest = walk(next);
      if (rest) return [id, ...rest];
    }
    return undefined;
  };
  return walk(from);
}
