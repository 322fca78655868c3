/**
 * `call-signal { kind, sdp?, candidate? }`: WebRTC signalling to the partner
 * of the current video chat, relayed through the partner's user channel (the
 * path `typing` takes, to whichever node holds the partner) and never stored.
 * The chat comes from the server's record of the sender, never from the
 * client, so a signal reaches the sender's own partner or no one.
 *
 * `end` ends the call for both: the chat becomes a text chat for good, the
 * partner gets the `end` signal, and both get `call-state { ended: true }`.
 * Ending is idempotent: an `end` in a text chat (one whose call has just
 * ended, both sides ending at once, or one that never had a call) is answered
 * ok and does nothing.
 */
import { ClientError } from '../../../errors';
import type { Handler } from '../../dispatch';
import { userChannel } from '../../channels';
import { callEndedEvent } from '../../match-notifier';
import { currentCall, noteCall } from './current-call';

export const callSignal: Handler<'call-signal'> = async (ctx, payload) => {
  const { store, io, clock } = ctx.services;
  if (payload.kind === 'end') {
    const ended = await store.endCall(ctx.userId);
    if (ended.kind === 'not-in-chat') throw new ClientError('NOT_IN_CHAT');
    if (ended.kind === 'text') return {};
    const { roomId, partnerId } = ended;
    io.to(userChannel(partnerId)).emit('call-signal', { roomId, kind: 'end' });
    io.to(userChannel(partnerId)).emit('call-state', callEndedEvent(roomId, 'partner'));
    io.to(userChannel(ctx.userId)).emit('call-state', callEndedEvent(roomId, 'you'));
    await noteCall(ctx, roomId, [{ at: clock.now(), by: ctx.userId, what: 'call-ended' }]);
    return {};
  }
  const { roomId, partnerId } = await currentCall(ctx);
  io.to(userChannel(partnerId)).emit('call-signal', { roomId, ...payload });
  return {};
};
