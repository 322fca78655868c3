/** The words the offline banner shows (kept together here so they are translated in one place). */
export const OFFLINE_TEXT = {
  /** The banner's first words, while the device has no network. */
  title: 'You are offline.',
  /** What happens next: nothing for the person to do. */
  detail: 'parley connects again by itself when your connection is back.',
} as const;
