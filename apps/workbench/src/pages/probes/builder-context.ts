// What every step node on the canvas reads: the draft, the catalogue, the server's problems, the
// last run's trace, and the edits a node may make. A context, so nodes stay generic.
import { createContext, useContext } from 'react';
import type { PluginManifest, ProbeDraft, StepDraft } from './model.ts';
import type { ErrorMap } from './server-errors.ts';
import type { StepTrace, TraceSample } from './trace.ts';

export interface BuilderApi {
  draft: ProbeDraft;
  manifests: ReadonlyMap<string, PluginManifest>;
  errors: ErrorMap;
  /** the last run, by step id */
  run?: { steps: ReadonlyMap<string, StepTrace>; samples: ReadonlyMap<string, TraceSample[]> };
  canEdit: boolean;
  updateStep(key: string, change: (s: StepDraft) => StepDraft): void;
  removeStep(key: string): void;
  moveStep(key: string, delta: number): void;
}

export const BuilderContext = createContext<BuilderApi | null>(null);

export function useBuilder(): BuilderApi {
  const api = useContext(BuilderContext);
  if (!api) throw new Error('useBuilder outside the probe builder');
  return api;
}
