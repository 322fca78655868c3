/** DOM-free pieces of the newcomer's chat: interests kept on the device, and the kept-apart wording. */
import type { KeyValueStore } from '../../web/src/app/identity';
import { memoryStorage } from './memory-storage';
import { readInterests, saveInterests } from '../../web/src/chat/saved-interests';
import { keptApartText } from '../../web/src/app/format';


test('saved interests come back as saved; clearing them removes the saved copy', () => {
  const storage = memoryStorage();
  expect(readInterests(10, 30, storage)).toEqual([]);
  saveInterests(['films', 'jazz'], storage);
  expect(readInterests(10, 30, storage)).toEqual(['films', 'jazz']);
  saveInterests([], storage);
  expect(storage.data.size).toBe(0);
});

test('a saved copy that is damaged or breaks the limits is read as far as it is valid', () => {
  const storage = memoryStorage();
  storage.setItem('parley.interests', '{not json');
  expect(readInterests(10, 30, storage)).toEqual([]);
  storage.setItem('parley.interests', JSON.stringify({ films: true }));
  expect(readInterests(10, 30, storage)).toEqual([]);
  storage.setItem('parley.interests', JSON.stringify(['a', 7, '', 'x'.repeat(31), 'b', 'a', 'c']));
  expect(readInterests(2, 30, storage)).toEqual(['a', 'b']);
});

test('storage that throws (disabled) neither breaks reading nor saving', () => {
  const broken: KeyValueStore = {
    getItem: () => {
      throw new Error('denied');
    },
    setItem: () => {
      throw new Error('denied');
    },
    removeItem: () => undefined,
  };
  expect(readInterests(10, 30, broken)).toEqual([]);
  expect(() => saveInterests(['films'], broken)).not.toThrow();
  expect(readInterests(10, 30, null)).toEqual([]);
});

test('the kept-apart notice says who, in plain words, for one or several people', () => {
  expect(keptApartText(1)).toMatch(/^The only other person searching right now is someone you can’t be matched with again yet/);
  expect(keptApartText(3)).toMatch(/^All 3 other people searching right now are people you can’t/);
  expect(keptApartText(1)).toContain('topic rooms are open');
});
