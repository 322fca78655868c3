/**
 * What a message of the room itself (kind `system`) says, for a client to word
 * in its reader's language; `text` is the same in English. `cohost-added` /
 * `cohost-removed`: the host named a member co-host or made one a member again
 * (`name`: that member's room name); `slow-mode-on` (`seconds` between two
 * messages of a member) / `slow-mode-off`; `description-changed` and
 * `rules-changed`: the host changed the room's description or rules.
 */
export type RoomNotice =
  | { kind: 'cohost-added'; name: string }
  | { kind: 'cohost-removed'; name: string }
  | { kind: 'slow-mode-on'; seconds: number }
  | { kind: 'slow-mode-off' }
  | { kind: 'description-changed' }
  | { kind: 'rules-changed' };
