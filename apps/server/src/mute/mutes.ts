// Which silences and maintenance windows hold an alert right now. The evaluator asks on every
// alert transition, so check() is synchronous and works from memory: reload() reads the silences
// that are active or still to come and the enabled maintenance windows, compiles the matchers and
// scopes once, and check() only walks those lists. Occurrences of recurring windows are expanded
// for a few hours at a time and re-expanded when `now` leaves that span.
//
// The GraphQL mutations announce changes on the bus channel `mutesChanged`; the evaluator, which
// owns the cache, reloads it then. Silences also end by themselves: check() compares
// with `now`, so a reload is needed only for new or edited rows.
import type { PrismaClient } from '@esmon/db';
import { hostInScope, hostScopeSchema, type HostScope } from '@esmon/schema';
import { occurrences, type MaintenanceSchedule, type Occurrence } from './rrule.ts';
import { compileSilence, silenceMatchersSchema, type SilenceTarget } from './silence-match.ts';

/** The alert instance being decided about. A target without a host is a rule-wide instance. */
export interface MuteTarget {
  ruleId: number;
  rule: string;
  hostId?: number;
  host?: string;
  hostLabels: Record<string, string>;
  labels: Record<string, string>;
}

/** A maintenance window in progress that covers the target, with what it asks for. */
export interface MaintenanceMute {
  id: number;
  keepEvaluating: boolean;
  suppressNotifications: boolean;
  muteFirstRecovery: boolean;
  /** an alert announced before the window still announces its recovery */
  sendFirstRecovery: boolean;
}

/** A silence in force that matches the target. */
export interface SilenceMute {
  id: number;
  /** an alert announced before the silence still announces its recovery */
  sendFirstRecovery: boolean;
}

export interface MuteCheck {
  silences: SilenceMute[];
  maintenance: MaintenanceMute[];
}

export interface Mutes {
  /** Reads silences and maintenance windows again; the last reload started wins. */
  reload(): Promise<void>;
  check(target: MuteTarget, nowMs: number): MuteCheck;
}

export interface CreateMutesOptions {
  /** how far ahead occurrences are expanded at a time (default 6 hours) */
  horizonMs?: number;
}

interface LoadedSilence {
  mute: SilenceMute;
  startsMs: number;
  endsMs: number;
  matches: (target: SilenceTarget) => boolean;
}

interface LoadedWindow {
  mute: MaintenanceMute;
  schedule: MaintenanceSchedule;
  scope: HostScope;
  /** the occurrences overlapping [spanFrom, spanTo) */
  spans: Occurrence[];
  spanFrom: number;
  spanTo: number;
}

const isEmptyScope = (s: HostScope) => !s.hostIds?.length && Object.keys(s.labels ?? {}).length === 0 && !s.hostnamePattern;

function covers(scope: HostScope, target: MuteTarget): boolean {
  if (target.hostId === undefined && target.host === undefined) return isEmptyScope(scope);
  return hostInScope(scope, { id: target.hostId ?? -1, hostname: target.host ?? '', labels: target.hostLabels });
}

/** Expands a window's occurrences around `nowMs` when `nowMs` is outside what was expanded. */
function ensureSpan(w: LoadedWindow, nowMs: number, horizonMs: number): void {
  if (nowMs >= w.spanFrom && nowMs < w.spanTo) return;
  w.spanFrom = nowMs;
  w.spanTo = nowMs + horizonMs;
  w.spans = occurrences(w.schedule, new Date(w.spanFrom), new Date(w.spanTo));
}

function activeAt(w: LoadedWindow, nowMs: number): boolean {
  return w.spans.some((o) => o.start.getTime() <= nowMs && nowMs < o.end.getTime());
}

export function createMutes(prisma: PrismaClient, options: CreateMutesOptions = {}): Mutes {
  const horizonMs = options.horizonMs ?? 6 * 3_600_000;
  let silences: LoadedSilence[] = [];
  let windows: LoadedWindow[] = [];
  let generation = 0;

  async function reload(): Promise<void> {
    const mine = ++generation;
    const now = new Date();
    const [silenceRows, windowRows] = await Promise.all([
      prisma.silence.findMany({ where: { endsAt: { gt: now } }, orderBy: { id: 'asc' } }),
      prisma.maintenanceWindow.findMany({ where: { enabled: true }, orderBy: { id: 'asc' } }),
    ]);
    // a slower, older reload must not overwrite a newer one
    if (mine !== generation) return;
    silences = silenceRows.flatMap((row) => {
      // rows are written through validation; one that is not understood mutes nothing
      const matchers = silenceMatchersSchema.safeParse(row.matchers);
      if (!matchers.success) return [];
      return [{ mute: { id: row.id, sendFirstRecovery: row.sendFirstRecovery }, startsMs: row.startsAt.getTime(), endsMs: row.endsAt.getTime(), matches: compileSilence(matchers.data) }];
    });
    windows = windowRows.flatMap((row) => {
      const scope = hostScopeSchema.safeParse(row.scope);
      if (!scope.success) return [];
      const w: LoadedWindow = {
        mute: {
          id: row.id,
          keepEvaluating: row.keepEvaluating,
          suppressNotifications: row.suppressNotifications,
          muteFirstRecovery: row.muteFirstRecovery,
          sendFirstRecovery: row.sendFirstRecovery,
        },
        schedule: { startsAt: row.startsAt, durationSeconds: row.durationSeconds, rrule: row.rrule, timeZone: row.timeZone },
        scope: scope.data,
        spans: [],
        spanFrom: 0,
        spanTo: 0,
      };
      try {
        ensureSpan(w, now.getTime(), horizonMs);
      } catch {
        return []; // a rule or zone this server does not understand
      }
      return [w];
    });
  }

  function check(target: MuteTarget, nowMs: number): MuteCheck {
    const result: MuteCheck = { silences: [], maintenance: [] };
    let silenceTarget: SilenceTarget | undefined;
    for (const s of silences) {
      if (nowMs < s.startsMs || nowMs >= s.endsMs) continue;
      // host labels are visible to silences too (env="staging"); the alert's own labels win
      silenceTarget ??= { rule: target.rule, host: target.host, labels: { ...target.hostLabels, ...target.labels } };
      if (s.matches(silenceTarget)) result.silences.push(s.mute);
    }
    for (const w of windows) {
      if (!covers(w.scope, target)) continue;
      ensureSpan(w, nowMs, horizonMs);
      if (activeAt(w, nowMs)) result.maintenance.push(w.mute);
    }
    return result;
  }

  return { reload, check };
}
