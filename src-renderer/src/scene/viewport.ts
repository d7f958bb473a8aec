import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { followShift } from './follow-camera';

export type Vec3 = readonly [number, number, number];

/**
 * A WebGL view of a z-up world: renderer, camera with orbit controls, lights, a fallback floor grid,
 * and any number of content layers (the task scene now; ghosts and trajectories later). Renders on
 * demand: call {@link requestRender} after changing anything; orbiting and resizing do it themselves.
 * The constructor throws if WebGL is not available.
 */
export class Viewport {
  readonly scene = new THREE.Scene();
  readonly camera: THREE.PerspectiveCamera;
  readonly renderer: THREE.WebGLRenderer;
  readonly controls: OrbitControls;
  private readonly sun: THREE.DirectionalLight;
  private readonly grid: THREE.GridHelper;
  private readonly resizeObserver: ResizeObserver;
  private frameHandle: number | null = null;
  private disposed = false;

  constructor(private readonly container: HTMLElement) {
    // preserveDrawingBuffer lets tests (and screenshots) read the pixels back after a frame.
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.shadowMap.enabled = true;
    this.renderer.shadowMap.type = THREE.PCFShadowMap;
    this.renderer.toneMapping = THREE.ACESFilmicToneMapping;
    this.renderer.toneMappingExposure = 1.0;
    const canvas = this.renderer.domElement;
    canvas.style.display = 'block';
    canvas.style.width = '100%';
    canvas.style.height = '100%';
    container.appendChild(canvas);

    this.scene.background = new THREE.Color(0x151a21);
    this.scene.fog = new THREE.Fog(0x151a21, 30, 80);

    this.camera = new THREE.PerspectiveCamera(45, 1, 0.02, 200);
    this.camera.up.set(0, 0, 1);
    this.camera.position.set(3, -4, 2.5);

    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = true;
    this.controls.dampingFactor = 0.12;
    this.controls.addEventListener('change', this.requestRender);

    const hemi = new THREE.HemisphereLight(0xdce8ff, 0x30281f, 1.1);
    hemi.position.set(0, 0, 1);
    this.scene.add(hemi);
    this.sun = new THREE.DirectionalLight(0xffffff, 1.7);
    this.sun.position.set(4, -3, 8);
    this.sun.castShadow = true;
    this.sun.shadow.mapSize.set(2048, 2048);
    this.sun.shadow.bias = -0.0005;
    this.sun.shadow.normalBias = 0.02;
    this.scene.add(this.sun, this.sun.target);
    this.fitShadow(new THREE.Vector3(0, 0, 0), 4);

    // GridHelper lies in the xz plane; stand it in xy for the z-up world.
    this.grid = new THREE.GridHelper(40, 80, 0x3a4554, 0x262e38);
    this.grid.rotateX(Math.PI / 2);
    this.grid.position.z = -0.001;
    this.scene.add(this.grid);

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
  }

  /** Adds a content layer (e.g. a TaskScene's root). The caller keeps ownership. */
  addLayer(object: THREE.Object3D): void {
    this.scene.add(object);
    this.requestRender();
  }

  /** Removes a content layer added with {@link addLayer}; does not dispose it. */
  removeLayer(object: THREE.Object3D): void {
    this.scene.remove(object);
    this.requestRender();
  }

  /** Shows or hides the fallback floor grid (hide it when the task draws its own floor). */
  setGridVisible(visible: boolean): void {
    this.grid.visible = visible;
    this.requestRender();
  }

  /** Puts the camera at `eye` looking at `target`, world frame, metres. */
  lookAt(eye: Vec3, target: Vec3): void {
    this.camera.position.set(...eye);
    this.controls.target.set(...target);
    this.controls.update();
    const radius = Math.max(2, this.camera.position.distanceTo(this.controls.target));
    this.fitShadow(this.controls.target, radius);
    this.requestRender();
  }

  /**
   * Slides the view along x by `dx` metres: eye, orbit target and the sun's shadow move together, so
   * the orbit (direction, distance) is unchanged. For follow cameras (see follow-camera.ts).
   */
  shiftX(dx: number): void {
    if (dx === 0 || !Number.isFinite(dx)) return;
    this.camera.position.x += dx;
    this.controls.target.x += dx;
    this.sun.position.x += dx;
    this.sun.target.position.x += dx;
    this.requestRender();
  }

  /**
   * Follow camera: keeps the orbit target's x on body `follow`'s x in these poses (eye alongside);
   * nothing when `follow` is undefined. The container's `data-follow-x` then tells tests where it is.
   */
  follow(poses: ArrayLike<number>, follow: number | undefined): void {
    if (follow === undefined) return;
    this.shiftX(followShift(poses, follow, this.controls.target.x));
    this.container.dataset.followX = this.controls.target.x.toFixed(3);
  }

  /** Schedules one frame (coalesced with other requests in the same animation frame). */
  readonly requestRender = (): void => {
    if (this.frameHandle !== null || this.disposed) return;
    this.frameHandle = requestAnimationFrame(this.renderFrame);
  };

  /** Frees the renderer, controls and observer. Layers belong to their owners and are not disposed. */
  dispose(): void {
    this.disposed = true;
    if (this.frameHandle !== null) cancelAnimationFrame(this.frameHandle);
    this.frameHandle = null;
    this.resizeObserver.disconnect();
    this.controls.removeEventListener('change', this.requestRender);
    this.controls.dispose();
    this.grid.geometry.dispose();
    (this.grid.material as THREE.Material).dispose();
    this.sun.shadow.dispose();
    this.renderer.dispose();
    this.renderer.domElement.remove();
  }

  private readonly renderFrame = (): void => {
    this.frameHandle = null;
    if (this.disposed) return;
    // While damping, update() keeps moving the camera and fires 'change', which schedules the next frame.
    this.controls.update();
    this.renderer.render(this.scene, this.camera);
  };

  private resize(): void {
    const width = Math.max(1, this.container.clientWidth);
    const height = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  /** Centres the sun's shadow frustum on `center` with half-size `radius`, metres. */
  private fitShadow(center: THREE.Vector3, radius: number): void {
    const cam = this.sun.shadow.camera;
    cam.left = -radius;
    cam.right = radius;
    cam.top = radius;
    cam.bottom = -radius;
    cam.near = 0.1;
    cam.far = 40;
    cam.updateProjectionMatrix();
    this.sun.target.position.copy(center);
    this.sun.position.copy(center).add(new THREE.Vector3(4, -3, 8));
  }
}
