/**
 * A slice as a rotatable 3-D surface, drawn with three.js (loaded only when this view opens): height
 * and colour follow the loss on its log scale, or the accuracy; the training path rides on it.
 */
import { useEffect, useRef } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { filled } from '../../core/surface/grid';
import type { LogScale } from '../../core/surface/scale';
import { position, viridis } from '../../core/surface/scale';
import type { Surface } from '../../core/surface/types';
import type { Metric } from './paint';

export interface Surface3DProps {
  readonly surface: Surface;
  readonly metric: Metric;
  readonly scale: LogScale;
  readonly size: number;
  readonly label: string;
}

const HEIGHT = 0.9;

export default function Surface3D({ surface, metric, scale, size, label }: Surface3DProps) {
  const host = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = host.current;
    if (canvas === null) return;
    const renderer = new THREE.WebGLRenderer({
      canvas,
      antialias: true,
      preserveDrawingBuffer: true,
      alpha: true,
    });
    renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    renderer.setSize(size, size, false);
    const scene = new THREE.Scene();
    const camera = new THREE.PerspectiveCamera(38, 1, 0.1, 100);
    camera.position.set(2.6, 2.3, 3.1);
    const nx = surface.xs.length;
    const ny = surface.ys.length;
    const values = filled(metric === 'loss' ? surface.loss : surface.accuracy, nx, ny);
    const level = (v: number) => (metric === 'loss' ? position(scale, v) : 1 - v);
    // x along d1, z along d2 (towards the viewer is negative d2), y up.
    const geometry = new THREE.PlaneGeometry(2, 2, nx - 1, ny - 1);
    geometry.rotateX(-Math.PI / 2);
    const positions = geometry.getAttribute('position');
    const colours = new Float32Array(positions.count * 3);
    for (let k = 0; k < positions.count; k++) {
      const i = k % nx;
      // PlaneGeometry runs its rows from +y, which the rotation turns to −z: the far row is the last.
      const j = ny - 1 - Math.floor(k / nx);
      const v = values[j * nx + i]!;
      const t = Number.isNaN(v) ? 1 : level(v);
      positions.setY(k, t * HEIGHT);
      const [r, g, b] = viridis(t);
      colours.set([r / 255, g / 255, b / 255], k * 3);
    }
    geometry.setAttribute('color', new THREE.BufferAttribute(colours, 3));
    geometry.computeVertexNormals();
    const mesh = new THREE.Mesh(
      geometry,
      new THREE.MeshBasicMaterial({ vertexColors: true, side: THREE.DoubleSide }),
    );
    scene.add(mesh);
    const wire = new THREE.LineSegments(
      new THREE.WireframeGeometry(geometry),
      new THREE.LineBasicMaterial({ color: 0xffffff, transparent: true, opacity: 0.18 }),
    );
    scene.add(wire);
    if (surface.path !== undefined) {
      const [x0, x1] = [surface.xs[0]!, surface.xs.at(-1)!];
      const [y0, y1] = [surface.ys[0]!, surface.ys.at(-1)!];
      const points = surface.path.x.map((x, k) => {
        const u = (x - x0) / (x1 - x0);
        const w = (surface.path!.y[k]! - y0) / (y1 - y0);
        const i = Math.min(nx - 1, Math.max(0, Math.round(u * (nx - 1))));
        const j = Math.min(ny - 1, Math.max(0, Math.round(w * (ny - 1))));
        const v = values[j * nx + i]!;
        return new THREE.Vector3(u * 2 - 1, (Number.isNaN(v) ? 1 : level(v)) * HEIGHT + 0.02, 1 - w * 2);
      });
      scene.add(
        new THREE.Line(
          new THREE.BufferGeometry().setFromPoints(points),
          new THREE.LineBasicMaterial({ color: 0xff503c }),
        ),
      );
    }
    scene.add(new THREE.GridHelper(2, 4, 0x888888, 0x888888));
    const controls = new OrbitControls(camera, canvas);
    controls.target.set(0, HEIGHT / 4, 0);
    controls.update();
    const render = () => renderer.render(scene, camera);
    controls.addEventListener('change', render);
    render();
    return () => {
      controls.dispose();
      geometry.dispose();
      renderer.dispose();
      scene.traverse((o) => {
        if (o instanceof THREE.Mesh || o instanceof THREE.Line) o.geometry.dispose();
      });
    };
  }, [surface, metric, scale, size]);
  return (
    <figure className="surface-plot">
      <canvas
        ref={host}
        className="surface-3d"
        style={{ width: size, height: size }}
        role="img"
        aria-label={`${label}: ${metric} in 3-D (drag to turn)`}
        data-testid="surface-3d"
      />
      <figcaption>{label} · drag to turn, scroll to zoom</figcaption>
    </figure>
  );
}
