// The React Flow canvas: one StepNode per step, edges in pipeline order (step 1 → step 2 → …).
// A palette entry dropped here adds a step where it lands; drawing an edge from A to B moves B
// right after A. Positions are the canvas's own (the definition keeps only the order).
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  ReactFlowProvider,
  useNodesState,
  useReactFlow,
  type Connection,
  type Edge,
  type XYPosition,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useRef, type DragEvent } from 'react';
import { DRAG_TYPE } from './Palette.tsx';
import { StepNode, type StepNodeType } from './StepNode.tsx';

const nodeTypes = { step: StepNode };
const GAP = 400;
const NODE_WIDTH = 360;

export interface CanvasProps {
  /** the steps' keys in pipeline order */
  keys: readonly string[];
  /** adds a step of the plugin at the end; returns its key */
  onAdd(plugin: string): string | undefined;
  /** an edge drawn from `after` to `key` */
  onPlaceAfter(key: string, after: string): void;
  canEdit: boolean;
}

function Flow({ keys, onAdd, onPlaceAfter, canEdit }: CanvasProps) {
  const [nodes, setNodes, onNodesChange] = useNodesState<StepNodeType>([]);
  const placed = useRef(new Map<string, XYPosition>());
  const { screenToFlowPosition, getNodes, setViewport } = useReactFlow<StepNodeType, Edge>();
  const joined = keys.join(',');

  useEffect(() => {
    setNodes((prev) => {
      const byKey = new Map(prev.map((n) => [n.id, n]));
      let at: XYPosition = { x: -GAP, y: 0 };
      return keys.map((key) => {
        const node: StepNodeType = byKey.get(key) ?? {
          id: key,
          type: 'step',
          position: placed.current.get(key) ?? { x: at.x + GAP, y: at.y },
          data: { stepKey: key },
          dragHandle: '.step-node-header',
        };
        at = node.position;
        return node;
      });
    });
    // keys is read through `joined`: the effect follows the order, not the array's identity
  }, [joined, setNodes]);

  // a step added or removed: zoom to show the pipeline's width (not its height: forms are tall),
  // tops aligned, the newest (rightmost) step in view
  const wrapper = useRef<HTMLDivElement>(null);
  const count = keys.length;
  useEffect(() => {
    if (count === 0) return;
    const t = setTimeout(() => {
      const all = getNodes();
      if (all.length === 0 || !wrapper.current) return;
      const w = wrapper.current.clientWidth;
      const minX = Math.min(...all.map((n) => n.position.x));
      const maxX = Math.max(...all.map((n) => n.position.x + (n.measured?.width ?? NODE_WIDTH)));
      const minY = Math.min(...all.map((n) => n.position.y));
      const zoom = Math.min(1, Math.max(0.5, (w - 80) / (maxX - minX)));
      const x = Math.min(40 - minX * zoom, w - 40 - maxX * zoom);
      void setViewport({ x, y: 20 - minY * zoom, zoom }, { duration: 150 });
    }, 50);
    return () => clearTimeout(t);
  }, [count, getNodes, setViewport]);

  const edges = useMemo<Edge[]>(
    () =>
      keys.slice(1).map((key, i) => ({
        id: `e-${keys[i]}-${key}`,
        source: keys[i]!,
        target: key,
        type: 'smoothstep',
        markerEnd: { type: MarkerType.ArrowClosed },
        deletable: false,
      })),
    // keys is read through `joined`: the effect follows the order, not the array's identity
    [joined],
  );

  const onDrop = (e: DragEvent) => {
    const plugin = e.dataTransfer.getData(DRAG_TYPE);
    if (!plugin || !canEdit) return;
    e.preventDefault();
    const key = onAdd(plugin);
    if (key) placed.current.set(key, screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  };

  const onDragOver = (e: DragEvent) => {
    if (!canEdit || !e.dataTransfer.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };

  return (
    <div ref={wrapper} className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<StepNodeType, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={(changes) => onNodesChange(changes.filter((c) => c.type !== 'remove'))}
        onConnect={(c: Connection) => c.source && c.target && onPlaceAfter(c.target, c.source)}
        nodesConnectable={canEdit}
        edgesReconnectable={false}
        deleteKeyCode={null}
        panActivationKeyCode={null}
        zoomOnScroll={false}
        panOnScroll
        zoomOnDoubleClick={false}
        minZoom={0.3}
        maxZoom={1.5}
      >
        <Background gap={20} />
        <Controls showInteractive={false} />
      </ReactFlow>
      {keys.length === 0 && <p className="canvas-empty muted">Click a step in the palette, or drag it here.</p>}
    </div>
  );
}

export function Canvas(props: CanvasProps) {
  return (
    <ReactFlowProvider>
      <Flow {...props} />
    </ReactFlowProvider>
  );
}
