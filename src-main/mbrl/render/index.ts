/**
 * Public surface of mbrl/render: the software rasterizer behind image observations, its camera (with
 * the world ↔ pixel mapping) and frame helpers. Pure TypeScript: the same bytes in Node, Electron's
 * utility process and tests.
 */
export { PixelCamera, sideCamera, topDownCamera } from './camera';
export type { ImagePoint, PixelCameraSpec, Vec3 } from './camera';
export { Rasterizer, quatToMat } from './rasterizer';
export type { RasterOptions, RasterScene } from './rasterizer';
export { bytesToUnit, colorByte, frameHash, framesToChannels, pixelsOfColor, stackToUnitChannels } from './frames';
