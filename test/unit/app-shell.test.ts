/** Which precompressed copy of a web client file a browser gets. */
import { pickEncoding } from '../../src/http/app-shell';

describe('the encoding of a precompressed file', () => {
  test('Brotli when taken, whatever order the header lists it in', () => {
    expect(pickEncoding('gzip, deflate, br')?.[0]).toBe('br');
    expect(pickEncoding('br;q=0.5, gzip;q=1')?.[0]).toBe('br');
  });

  test('gzip when Brotli is not taken or refused, nothing when neither is', () => {
    expect(pickEncoding('gzip, deflate')?.[0]).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip')?.[0]).toBe('gzip');
    expect(pickEncoding('identity')).toBeUndefined();
    expect(pickEncoding(undefined)).toBeUndefined();
    expect(pickEncoding('gzip;q=0')).toBeUndefined();
  });
});
