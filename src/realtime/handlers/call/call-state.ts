/**
 * `call-state { camera, microphone }`: this side's camera and microphone, to
 * the partner of the current video chat. Each change (from what this
 * connection told before; a call starts with both on) is noted as the call's
 * metadata for reports: who turned what off or on, and when.
 */
import type { CallNote } from '../../../store/call-store';
import type { Handler } from '../../dispatch';
import { userChannel } from '../../channels';
import { currentCall, noteCall } from './current-call';

export const callState: Handler<'call-state'> = async (ctx, { camera, microphone }) => {
  const { io, clock } = ctx.services;
  const { roomId, partnerId } = await currentCall(ctx);
  io.to(userChannel(partnerId)).emit('call-state', { roomId, camera, microphone });
  const data = ctx.socket.data;
  const before = data.callState?.roomId === roomId ? data.callState : { camera: true, microphone: true };
  data.callState = { roomId, camera, microphone };
  const at = clock.now();
  const notes: CallNote[] = [];
  if (camera !== before.camera) notes.push({ at, by: ctx.userId, what: camera ? 'camera-on' : 'camera-off' });
  if (microphone !== before.microphone) notes.push({ at, by: ctx.userId, what: microphone ? 'microphone-on' : 'microphone-off' });
  await noteCall(ctx, roomId, notes);
  return {};
};
