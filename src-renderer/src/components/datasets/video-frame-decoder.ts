import { mediaErrorText, seekVideo } from './video-seeker';

/**
 * Decodes chosen frames of a dataset video (LeRobot mp4) with the browser's decoder, scaled to S×S
 * RGB bytes: a hidden <video> is seeked to each frame time in turn (waiting for 'seeked' and the
 * frame's presentation) and drawn onto an S×S canvas. For training the image models on LeRobot
 * video features, which the engine cannot decode. The element asks for CORS (`crossOrigin`), so
 * the desktop app's mbrl-video: scheme (which answers with our page's origin) leaves the canvas
 * readable, as the served workbench's same-origin URL does.
 */
export async function decodeVideoFrames(url: string, times: readonly number[], size: number, signal?: AbortSignal): Promise<Uint8Array[]> {
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  video.playsInline = true;
  video.crossOrigin = 'anonymous';
  // In the document (some decoders do not present frames of a detached element), invisible.
  video.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;pointer-events:none';
  document.body.appendChild(video);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2-D canvas to decode frames on');
  ctx.imageSmoothingQuality = 'high';
  try {
    video.src = url;
    await loaded(video);
    const out: Uint8Array[] = [];
    for (const time of times) {
      if (signal?.aborted) throw new DOMException('decoding cancelled', 'AbortError');
      await seekVideo(video, time);
      if (video.error) throw new Error(mediaErrorText(video.error));
      ctx.drawImage(video, 0, 0, size, size);
      let rgba: Uint8ClampedArray;
      try {
        rgba = ctx.getImageData(0, 0, size, size).data;
      } catch {
        throw new Error('the decoded frames cannot be read here (the video is cross-origin to this page): decode them in the served workbench (mbrl-lab serve)');
      }
      const rgb = new Uint8Array(size * size * 3);
      for (let i = 0; i < size * size; i++) {
        rgb[3 * i] = rgba[4 * i];
        rgb[3 * i + 1] = rgba[4 * i + 1];
        rgb[3 * i + 2] = rgba[4 * i + 2];
      }
      out.push(rgb);
    }
    return out;
  } finally {
    video.removeAttribute('src');
    video.load();
    video.remove();
  }
}

/** Resolves once the first frame is there; rejects with one line when the element cannot play the file. */
function loaded(video: HTMLVideoElement): Promise<void> {
  if (video.readyState >= 2) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      video.removeEventListener('loadeddata', done);
      video.removeEventListener('error', done);
      if (video.error) reject(new Error(mediaErrorText(video.error)));
      else resolve();
    };
    video.addEventListener('loadeddata', done);
    video.addEventListener('error', done);
  });
}
