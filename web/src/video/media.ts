/**
 * The camera and microphone: one getUserMedia for both (so either can be
 * turned on later without asking again), each track on or off as chosen, and
 * getUserMedia's refusals in plain words: denied, no device, in use.
 */
import { mediaProblem, type MediaProblem } from './media-problems';

/** The camera and microphone, each track enabled as chosen; rejects with a MediaProblem. */
export async function openMedia(choice: { camera: boolean; microphone: boolean }): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw 'unsupported' satisfies MediaProblem;
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' },
      audio: { echoCancellation: true, noiseSuppression: true },
    });
  } catch (error) {
    throw mediaProblem(error);
  }
  for (const track of stream.getVideoTracks()) track.enabled = choice.camera;
  for (const track of stream.getAudioTracks()) track.enabled = choice.microphone;
  return stream;
}

/** Stops every track at once (the camera light goes off). */
export function stopMedia(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
