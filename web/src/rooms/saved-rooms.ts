/** The rooms this browser is in, kept in localStorage so a reload finds them again. */

const KEY = 'parley.rooms';

export interface SavedRoom {
  code: string;
  name: string;
}

export function readSavedRooms(): SavedRoom[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (r): r is SavedRoom => typeof r === 'object' && r !== null && typeof r.code === 'string' && typeof r.name === 'string',
    );
  } catch {
    return [];
  }
}

export function writeSavedRooms(rooms: readonly SavedRoom[]): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(rooms));
  } catch {
    /* storage disabled: rooms are found again only within this page */
  }
}

const NAME_KEY = 'parley.roomName';

/** The display name the user chose for rooms, or '' for a generated one. */
export function readRoomName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveRoomName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    /* storage disabled */
  }
}
