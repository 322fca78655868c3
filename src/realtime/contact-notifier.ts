/** Delivers contacts events through each user's channel, on any node (the adapter carries them). */
import type { ContactNotifier } from '../contacts/ports';
import { userChannel } from './channels';
import type { ParleyIo } from './types';

export function createContactNotifier(io: ParleyIo): ContactNotifier {
  return {
    offered: (userId, event) => io.to(userChannel(userId)).emit('keep-in-touch-offered', event),
    added: (userId, event) => io.to(userChannel(userId)).emit('contact-added', event),
    removed: (userId, event) => io.to(userChannel(userId)).emit('contact-removed', event),
    presence: (userId, event) => io.to(userChannel(userId)).emit('contact-presence', event),
    dm: (userId, event) => io.to(userChannel(userId)).emit('dm', event),
    read: (userId, event) => io.to(userChannel(userId)).emit('dm-read', event),
    typing: (userId, event) => io.to(userChannel(userId)).emit('dm-typing', event),
  };
}
