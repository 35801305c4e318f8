// What silences and maintenance windows do to evaluation: a window may stop evaluation of the
// hosts it covers (keepEvaluating: false); silences and windows hold notifications (the event is
// stored with notify false and mutedBy "silence:ID" / "maintenance:ID"); and a window may mute
// the first recovery after it, for alerts that were open during the work. "Send first recovery"
// (on silences by default, off on windows) lets an alert whose firing was announced before the
// mute announce its recovery, so whoever heard of the problem hears it is over.
import type { MaintenanceMute, Mutes } from '../mute/mutes.ts';
import type { RunnableRule } from '../rules/definition.ts';
import { instanceLabels, type AlertTarget, type NotificationMute } from './alert-writer.ts';
import type { EngineHost, EvaluationGate, Instance } from './engine.ts';

export interface Muting {
  gate: EvaluationGate;
  mute: NotificationMute;
  /** A window asked to keep this alert quiet until its first recovery (open during the work). */
  awaitsFirstRecovery(instanceKey: string): boolean;
}

export function createMuting(mutes: Mutes, hostOf: (id: number) => EngineHost | undefined): Muting {
  /** instance key → the maintenance window it was open during, until its first recovery */
  const recoveryMuted = new Map<string, MaintenanceMute>();

  function check(target: AlertTarget, at: number) {
    return mutes.check(
      { ruleId: target.ruleId, rule: target.rule, hostId: target.hostId, host: target.host, hostLabels: hostOf(target.hostId)?.labels ?? {}, labels: target.labels },
      at,
    );
  }

  function targetOf(rule: RunnableRule, instance: Instance): AlertTarget {
    return {
      ruleId: rule.id,
      rule: rule.definition.name,
      hostId: instance.hostId,
      host: instance.hostname,
      labels: instanceLabels(rule, instance),
    };
  }

  return {
    gate(rule, instance, now) {
      const { maintenance } = check(targetOf(rule, instance), now);
      if (maintenance.length === 0) return true;
      const first = maintenance.find((m) => m.muteFirstRecovery);
      if (first && instance.status.state !== 'ok' && instance.status.state !== 'resolved') {
        recoveryMuted.set(`${rule.id}:${instance.key}`, first);
      }
      return maintenance.every((m) => m.keepEvaluating);
    },
    mute(target, at, { resolving, instanceKey, announced }) {
      const { silences, maintenance } = check(target, at);
      const first = maintenance.find((m) => m.muteFirstRecovery);
      if (first && !resolving) recoveryMuted.set(instanceKey, first);
      // a recovery clears the mark whatever else holds it: only the first one is muted
      const window = resolving ? recoveryMuted.get(instanceKey) : undefined;
      if (resolving) recoveryMuted.delete(instanceKey);
      const holders = [
        ...silences.map((m) => ({ reason: `silence:${m.id}`, sendsRecovery: m.sendFirstRecovery })),
        ...maintenance.filter((m) => m.suppressNotifications).map((m) => ({ reason: `maintenance:${m.id}`, sendsRecovery: m.sendFirstRecovery })),
        ...(window ? [{ reason: `maintenance:${window.id} (first recovery)`, sendsRecovery: window.sendFirstRecovery }] : []),
      ];
      if (resolving && announced && holders.every((h) => h.sendsRecovery)) return undefined;
      return holders[0]?.reason;
    },
    awaitsFirstRecovery: (instanceKey) => recoveryMuted.has(instanceKey),
  };
}
