/**
 * Frames of a dataset video (LeRobot mp4) decoded by the browser: a <video> element is seeked to a
 * frame's time and the decoded picture handed on (drawn on the Datasets view's frame canvas).
 * Scrubbing faster than the decoder seeks keeps only the newest target, like the engine's frame
 * requests: one seek in flight, then the latest step asked for meanwhile.
 */

/** MIME types to ask canPlayType about, by the codec names LeRobot's info.json uses. */
const CODEC_TYPES: Record<string, string> = {
  av1: 'video/mp4; codecs="av01.0.05M.08"',
  libsvtav1: 'video/mp4; codecs="av01.0.05M.08"',
  h264: 'video/mp4; codecs="avc1.640028"',
  libx264: 'video/mp4; codecs="avc1.640028"',
  avc1: 'video/mp4; codecs="avc1.640028"',
  hevc: 'video/mp4; codecs="hvc1.1.6.L93.B0"',
  h265: 'video/mp4; codecs="hvc1.1.6.L93.B0"',
  libx265: 'video/mp4; codecs="hvc1.1.6.L93.B0"',
  vp9: 'video/mp4; codecs="vp09.00.10.08"',
  'libvpx-vp9': 'video/mp4; codecs="vp09.00.10.08"',
};

/**
 * Why this browser cannot play `codec` (as info.json names it), or '' when it says it can or the
 * codec is unknown (then the element's error event decides).
 */
export function unplayableCodec(video: Pick<HTMLVideoElement, 'canPlayType'>, codec: string | undefined): string {
  const type = codec ? CODEC_TYPES[codec.toLowerCase()] : undefined;
  if (!type || video.canPlayType(type) !== '') return '';
  return `this browser cannot decode ${codec} video: frames not shown (state and action are)`;
}

/** One line for a media element's error (codes of HTMLMediaElement.error). */
export function mediaErrorText(error: MediaError | null): string {
  const kinds: Record<number, string> = { 1: 'loading was aborted', 2: 'a network error', 3: 'the video could not be decoded', 4: 'this browser cannot play the video format' };
  const what = error ? (kinds[error.code] ?? `error ${error.code}`) : 'unknown error';
  return `${what}${error?.message ? ` (${error.message.split('\n')[0]})` : ''}: frames not shown (state and action are)`;
}

/** Seeks a <video> to frame times one at a time; `onFrame(step)` runs once the frame is decoded. */
export class VideoSeeker {
  private busy = false;
  private pending: { time: number; step: number } | null = null;
  private stopped = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly onFrame: (step: number) => void,
    private readonly onBusy: (busy: boolean) => void,
  ) {}

  /** Shows frame `step` at `time` seconds into the file (the newest call wins). */
  seek(time: number, step: number): void {
    this.pending = { time, step };
    if (!this.busy) void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.pending = null;
  }

  private async run(): Promise<void> {
    this.busy = true;
    this.onBusy(true);
    try {
      while (this.pending && !this.stopped) {
        const { time, step } = this.pending;
        this.pending = null;
        await this.ready();
        if (this.stopped) return;
        await this.seekTo(time);
        if (!this.stopped && !this.pending) this.onFrame(step);
      }
    } finally {
      this.busy = false;
      if (!this.stopped) this.onBusy(false);
    }
  }

  /** Resolves once the first frame is loaded (or the element failed: then nothing is drawn). */
  private ready(): Promise<void> {
    const v = this.video;
    if (v.readyState >= 2 || v.error) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        v.removeEventListener('loadeddata', done);
        v.removeEventListener('error', done);
        resolve();
      };
      v.addEventListener('loadeddata', done);
      v.addEventListener('error', done);
    });
  }

  private seekTo(time: number): Promise<void> {
    return this.video.error ? Promise.resolve() : seekVideo(this.video, time);
  }
}

/**
 * Sets currentTime and waits for 'seeked' and then the new frame's presentation
 * (requestVideoFrameCallback where there is one; a short timeout in case none comes, e.g. when
 * the time did not move to another frame).
 */
export function seekVideo(v: HTMLVideoElement, time: number): Promise<void> {
  return new Promise((resolve) => {
    let presented = false;
    let seeked = false;
    const finish = () => {
      if (!seeked || !presented) return;
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      presented = seeked = true;
      finish();
    }, 1500);
    if (typeof v.requestVideoFrameCallback === 'function') {
      v.requestVideoFrameCallback(() => {
        presented = true;
        finish();
      });
    } else presented = true;
    // Seeking to the time already shown presents no new frame: 'seeked' alone says it is there.
    if (v.currentTime === time) presented = true;
    v.addEventListener(
      'seeked',
      () => {
        seeked = true;
        finish();
      },
      { once: true },
    );
    v.currentTime = time;
  });
}
