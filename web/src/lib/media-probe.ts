import type { ProbedMedia } from '../model/media-send.js';

/** The longer side of a preview: sharp in a bubble on a high-density screen, well under MAX_THUMB_SIZE. */
const THUMB_SIDE = 640;
/** A file that will not decode within this long is sent as a document rather than holding the send. */
const PROBE_TIMEOUT_MS = 10_000;

/** Types the server shows as photos (see kindFits on the server); anything else image-like is a document. */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/avif']);

/**
 * Decides how a picked file is sent and measures it. The browser's type is
 * only a guess (the server sniffs the bytes): a file that does not decode as
 * the image or video it claims to be falls back to a document, which takes anything.
 */
export async function probeFile(file: File): Promise<ProbedMedia> {
  try {
    if (PHOTO_TYPES.has(file.type)) return await probeImage(file);
    if (file.type === 'video/mp4' || file.type === 'video/webm') return await probeVideo(file);
    if (file.type.startsWith('audio/')) return { kind: 'audio', ...(await probeDuration(file)) };
  } catch {
    // Not what its name says: fall through to a document.
  }
  return { kind: 'document' };
}

async function probeImage(file: Blob): Promise<ProbedMedia> {
  const bitmap = await createImageBitmap(file);
  try {
    return { kind: 'photo', width: bitmap.width, height: bitmap.height, thumb: await thumbnailOf(bitmap, bitmap.width, bitmap.height) };
  } finally {
    bitmap.close();
  }
}

/** Loads the video's first frame (a blob: URL, allowed by the app's media-src) and draws it as the preview. */
async function probeVideo(file: Blob): Promise<ProbedMedia> {
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  video.src = url;
  try {
    await mediaEvent(video, 'loadeddata');
    const { videoWidth: width, videoHeight: height } = video;
    if (!width || !height) throw new Error('no video track');
    const thumb = await thumbnailOf(video, width, height);
    return { kind: 'video', width, height, duration: Math.round(finite(video.duration)), thumb };
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}

/** The duration of an audio file, in whole seconds (omitted when the file does not say). */
export async function probeDuration(file: Blob): Promise<{ duration?: number }> {
  const url = URL.createObjectURL(file);
  const audio = document.createElement('audio');
  audio.preload = 'metadata';
  audio.src = url;
  try {
    await mediaEvent(audio, 'loadedmetadata');
    const seconds = finite(audio.duration);
    return seconds > 0 ? { duration: Math.round(seconds) } : {};
  } finally {
    URL.revokeObjectURL(url);
  }
}

function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

function mediaEvent(element: HTMLMediaElement, name: 'loadeddata' | 'loadedmetadata'): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS);
    element.addEventListener(name, () => (clearTimeout(timer), resolve()), { once: true });
    element.addEventListener('error', () => (clearTimeout(timer), reject(new Error('not decodable'))), { once: true });
  });
}

async function thumbnailOf(source: CanvasImageSource, width: number, height: number): Promise<Blob> {
  const scale = Math.min(1, THUMB_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  canvas.getContext('2d')!.drawImage(source, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
  if (!blob) throw new Error('could not encode a preview');
  return blob;
}

/** "1.4 MB": file sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "0:07", "12:34": a duration in seconds as a clock. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
