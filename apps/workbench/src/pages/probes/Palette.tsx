// The step palette, built from the plugin manifests: grouped by category, each with its title,
// description and platforms; plugins that run scripts are marked (an agent runs them only when its
// own configuration allows). Click an entry to append a step, or drag it onto the canvas.
import type { PluginManifest } from './model.ts';

export const DRAG_TYPE = 'application/x-esmon-plugin';
const ORDER = ['system', 'service', 'script', 'database', 'jvm', 'network'];

export function Palette({ manifests, onAdd, disabled }: { manifests: ReadonlyMap<string, PluginManifest>; onAdd(plugin: string): void; disabled: boolean }) {
  const groups = new Map<string, PluginManifest[]>();
  for (const m of manifests.values()) groups.set(m.category, [...(groups.get(m.category) ?? []), m]);
  const rank = (c: string) => (ORDER.includes(c) ? ORDER.indexOf(c) : ORDER.length);
  const categories = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return (
    <aside className="palette" aria-label="Step palette">
      <h3>Steps</h3>
      {disabled && <p className="muted small">Viewers cannot change probes.</p>}
      {categories.map((c) => (
        <section key={c}>
          <h4>{c}</h4>
          <ul>
            {groups
              .get(c)!
              .sort((a, b) => a.title.localeCompare(b.title))
              .map((m) => (
                <li key={m.id}>
                  <button
                    type="button"
                    className="palette-entry"
                    data-testid={`palette-${m.id}`}
                    disabled={disabled}
                    draggable={!disabled}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(DRAG_TYPE, m.id);
                      e.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => onAdd(m.id)}
                    title={`Add a ${m.title} step (or drag it onto the canvas)`}
                  >
                    <strong>{m.title}</strong>
                    <span className="small">{m.description}</span>
                    <span className="badges">
                      {m.platforms.map((p) => (
                        <span key={p} className="badge">
                          {p}
                        </span>
                      ))}
                      {m.runsScripts && <span className="badge script">runs scripts</span>}
                    </span>
                  </button>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
