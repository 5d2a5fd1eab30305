import { useEffect, useRef, useState } from 'preact/hooks';
import { toVoiceWav } from '../../lib/wav.js';
import { showToast } from '../../model/toasts.js';

/** Whether this browser can record at all (MediaRecorder needs a secure context). */
export const canRecordVoice = typeof MediaRecorder !== 'undefined' && navigator.mediaDevices?.getUserMedia !== undefined;

export interface VoiceRecorder {
  /** Since when it records (ms), or null when idle. */
  startedAt: number | null;
  start(): Promise<void>;
  /** Stops and hands the note to `onRecorded`. */
  finish(): void;
  /** Stops and throws the recording away. */
  cancel(): void;
}

/**
 * Records a voice note from the microphone with MediaRecorder, then turns it
 * into WAV (see lib/wav.ts). The microphone is released as soon as the
 * recording stops, finished or cancelled, and when the composer goes away.
 */
export function useVoiceRecorder(onRecorded: (note: { file: File; duration: number }) => void): VoiceRecorder {
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const keep = useRef(false);

  useEffect(() => () => stop(false), []);

  function stop(keepIt: boolean) {
    const current = recorder.current;
    if (!current) return;
    keep.current = keepIt;
    recorder.current = null;
    setStartedAt(null);
    if (current.state !== 'inactive') current.stop();
    for (const track of current.stream.getTracks()) track.stop();
  }

  async function start() {
    if (recorder.current) return;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      showToast('Edgegram needs your microphone to record a voice message. Allow it in the browser’s site settings.');
      return;
    }
    const rec = new MediaRecorder(stream);
    const chunks: Blob[] = [];
    rec.addEventListener('dataavailable', (e) => chunks.push(e.data));
    rec.addEventListener('stop', () => {
      if (!keep.current || chunks.length === 0) return;
      toVoiceWav(new Blob(chunks, { type: rec.mimeType })).then(
        ({ wav, duration }) => onRecorded({ file: new File([wav], 'voice.wav', { type: 'audio/wav' }), duration }),
        () => showToast('The recording could not be read. Try again.'),
      );
    });
    recorder.current = rec;
    rec.start();
    setStartedAt(Date.now());
  }

  return { startedAt, start, finish: () => stop(true), cancel: () => stop(false) };
}
