/** The topic-room events and their handlers. */
import { roomBackstage } from './room-backstage';
import { roomCreate } from './room-create';
import { roomDeleteMessage } from './room-delete-message';
import { roomEdit } from './room-edit';
import { roomJoin } from './room-join';
import { roomKick } from './room-kick';
import { roomLeave } from './room-leave';
import { roomMessage } from './room-message';
import { roomMute } from './room-mute';
import { roomRole } from './room-role';
import { roomSettings } from './room-settings';
import { roomPin } from './room-pin';
import { roomReact } from './room-react';
import { roomRead } from './room-read';
import { roomTyping } from './room-typing';
import { roomUnpin } from './room-unpin';

export const ROOM_HANDLERS = {
  'room-create': roomCreate,
  'room-join': roomJoin,
  'room-leave': roomLeave,
  'room-typing': roomTyping,
  'room-message': roomMessage,
  'room-delete-message': roomDeleteMessage,
  'room-kick': roomKick,
  'room-role': roomRole,
  'room-mute': roomMute,
  'room-settings': roomSettings,
  'room-pin': roomPin,
  'room-unpin': roomUnpin,
  'room-react': roomReact,
  'room-edit': roomEdit,
  'room-read': roomRead,
  'room-backstage': roomBackstage,
} as const;
