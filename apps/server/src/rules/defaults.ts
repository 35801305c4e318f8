// The rules a fresh installation starts with, over the metrics every agent sends. Made once, at
// first start: an analyst who deletes or changes them is not overruled by the next restart.
import type { PrismaClient } from '@esmon/db';
import { checkDefinition, type RuleDefinitionInput } from './definition.ts';
import { insertRuleRows, SAVE_TRANSACTION } from './rule-rows.ts';

/** The Setting row that records that the defaults were made (whatever happened to them since). */
export const DEFAULT_RULES_SETTING = 'defaultRulesCreated';
const COMMENT = 'default rule';

export interface DefaultRule {
  definition: Omit<RuleDefinitionInput, 'dependsOn'>;
  /** names of default rules this one depends on (ids exist only once they are inserted) */
  dependsOn: readonly string[];
}

const FIVE_MINUTES = 300;
const HOST_OFFLINE = 'Host offline';

/** In insertion order: a rule comes after the rules it depends on. */
export const DEFAULT_RULES: readonly DefaultRule[] = [
  {
    definition: {
      name: HOST_OFFLINE,
      description: 'The agent has sent no uptime for 3 minutes: the host is down or cannot reach esmon.',
      expression: 'nodata(os.uptime.seconds, "3m")',
      levels: [{ severity: 'critical' }],
      // the expression is about missing data: its absence is the alert, not a separate state
      noDataPolicy: 'ok',
      forSeconds: 0,
      annotations: { summary: '{{host}} has sent no data for 3 minutes' },
    },
    dependsOn: [],
  },
  {
    definition: {
      name: 'CPU usage',
      description: 'Total CPU usage (all cores), averaged over 5 minutes.',
      threshold: { metric: 'os.cpu.usage{core=""}', fn: 'avg', window: '5m' },
      comparator: '>',
      levels: [
        { severity: 'warning', threshold: 80, recovery: 75 },
        { severity: 'critical', threshold: 90, recovery: 85 },
      ],
      forSeconds: FIVE_MINUTES,
      noDataPolicy: 'nodata',
      annotations: { summary: 'CPU usage on {{host}} is {{value}} %' },
    },
    dependsOn: [HOST_OFFLINE],
  },
  {
    definition: {
      name: 'Memory usage',
      description: 'Used memory in percent, averaged over 5 minutes.',
      threshold: { metric: 'os.mem.used_pct', fn: 'avg', window: '5m' },
      comparator: '>',
      levels: [
        { severity: 'warning', threshold: 85, recovery: 80 },
        { severity: 'critical', threshold: 95, recovery: 90 },
      ],
      forSeconds: FIVE_MINUTES,
      noDataPolicy: 'nodata',
      annotations: { summary: 'Memory usage on {{host}} is {{value}} %' },
    },
    dependsOn: [HOST_OFFLINE],
  },
  {
    definition: {
      name: 'Disk usage',
      description: 'Used space of each mounted file system.',
      threshold: { metric: 'os.disk.used_pct', fn: 'last', window: '5m' },
      comparator: '>',
      levels: [
        { severity: 'warning', threshold: 85, recovery: 80 },
        { severity: 'critical', threshold: 95, recovery: 92 },
        { severity: 'very_critical', threshold: 98, recovery: 96 },
      ],
      forSeconds: FIVE_MINUTES,
      noDataPolicy: 'nodata',
      scope: { groupBy: ['mount'] },
      annotations: { summary: 'Disk {{labels.mount}} on {{host}} is {{value}} % full' },
    },
    dependsOn: [HOST_OFFLINE],
  },
];

export interface EnsureDefaultRulesResult {
  /** names of the rules made now; empty when the defaults were made before */
  created: string[];
}

/**
 * Makes the default rules on the first start only. One transaction claims the setting row with
 * an insert-if-absent and inserts the rules: of two servers starting at once, the second waits
 * for the first's commit, finds the row and does nothing; if the first fails, nothing is claimed.
 * A rule whose name is already taken (rules made before this existed) is left alone.
 */
export async function ensureDefaultRules(prisma: PrismaClient): Promise<EnsureDefaultRulesResult> {
  return prisma.$transaction(async (tx) => {
    const claim = await tx.setting.createMany({
      data: [
        {
          key: DEFAULT_RULES_SETTING,
          value: { at: new Date().toISOString(), rules: DEFAULT_RULES.map((r) => r.definition.name) },
        },
      ],
      skipDuplicates: true,
    });
    if (claim.count === 0) return { created: [] };
    const taken = new Set((await tx.rule.findMany({ select: { name: true } })).map((r) => r.name));
    const ids = new Map<string, number>();
    for (const rule of DEFAULT_RULES) {
      if (taken.has(rule.definition.name)) continue;
      const dependsOn = rule.dependsOn.flatMap((name) => ids.get(name) ?? []);
      const checked = checkDefinition({ ...rule.definition, dependsOn });
      // the list above is ours: a default that does not check is a bug, caught by its unit test
      if (!checked.ok)
        throw new Error(`default rule ${rule.definition.name}: ${JSON.stringify(checked.problems)}`);
      const row = await insertRuleRows(tx, checked.definition, { authorId: null, comment: COMMENT });
      ids.set(row.name, row.id);
    }
    return { created: [...ids.keys()] };
  }, SAVE_TRANSACTION);
}
