/**
 * What every part of the rooms flow shares: the client and its requests, the
 * rooms state, the page's limits, the read marker, the typing names and the
 * way an error reaches the screen. Built once by ./rooms-controller and
 * handed to each feature's actions (./room-joining, ./room-sending,
 * ./room-edits, ./room-moderation, ./room-pins-reactions, ./room-backstage).
 * Types only: the features' rules can be tried without a page.
 */
import type { ParleyClient } from '../app/connection';
import type { Problem } from '../app/errors';
import type { Settings } from '../app/settings';
import type { RoomRequests, RoomsApi } from './requests';
import type { RoomsStateStore } from './rooms-state';

/** Reading rooms on this page (./read-marker). */
export interface ReadMarker {
  /** Whether the room is on screen now. */
  onScreen(code: string): boolean;
  /** Marks the room read soon if it is on screen. */
  schedule(code: string): void;
  /** A message with `seq` reached the page. */
  seen(code: string, seq: number): void;
  /** Tells the server now what waits to be told of the room (the reader is leaving it). */
  flush(code: string): void;
}

export interface RoomsContext {
  client: ParleyClient;
  api: RoomRequests;
  rest: RoomsApi;
  store: RoomsStateStore;
  settings: Settings;
  reads: ReadMarker;
  /** Shows `problem` on the rooms list screen or in the room. */
  fail(scope: 'browse' | 'room', problem: Problem): void;
  /** Shows or drops `name` among the room's typing names. */
  setTyping(code: string, name: string, isTyping: boolean): void;
}
