/**
 * A still frame of the stranger's video for a report: the remote <video>
 * drawn on a canvas (as it is, never blurred), at most 640 px wide, as a JPEG
 * data URL of at most 150 KB decoded, the quality lowered step by step until
 * it fits.
 */
import { fittingFrame } from './frame-size';

const MAX_WIDTH = 640;

/** The frame on show in `video`, or null when it shows nothing yet. */
export function captureFrame(video: HTMLVideoElement): string | null {
  if (!video.videoWidth || !video.videoHeight) return null;
  const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.drawImage(video, 0, 0, canvas.width, canvas.height);
  return fittingFrame((quality) => canvas.toDataURL('image/jpeg', quality));
}
