import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './defaults.ts';
import { checkDefinition } from './definition.ts';

const agentMetrics = new Set([
  'os.cpu.usage',
  'os.mem.used_pct',
  'os.disk.used_pct',
  'os.swap.used_pct',
  'os.uptime.seconds',
]);

describe('the default rules', () => {
  it.each(DEFAULT_RULES.map((r) => [r.definition.name, r] as const))(
    '%s checks, over metrics the agent sends',
    (_name, rule) => {
      const checked = checkDefinition(
        { ...rule.definition, dependsOn: rule.dependsOn.map((_, i) => i + 1) },
        agentMetrics,
      );
      expect(checked.ok ? checked.warnings : checked.problems).toEqual([]);
    },
  );

  it('lists a rule after the rules it depends on', () => {
    const names = DEFAULT_RULES.map((r) => r.definition.name);
    DEFAULT_RULES.forEach((r, i) => {
      for (const dep of r.dependsOn) {
        expect(names.indexOf(dep)).toBeGreaterThanOrEqual(0);
        expect(names.indexOf(dep)).toBeLessThan(i);
      }
    });
  });

  it('has a summary for every rule', () => {
    for (const r of DEFAULT_RULES) expect(r.definition.annotations?.summary).toMatch(/\{\{host\}\}/);
  });
});
