import { reasonOf } from '../../bench/lib/clients';

describe('why a load generator connection failed', () => {
  it('groups failures by message, without the addresses, ports and numbers that differ per socket', () => {
    const a = reasonOf(new Error('connect to http://127.0.0.1:40123 failed: websocket error'));
    const b = reasonOf(new Error('connect to http://127.0.0.1:40999 failed: websocket error'));
    expect(a).toBe(b);
    expect(a).toBe('connect to <url> failed: websocket error');
    expect(reasonOf(new Error('no session from http://127.0.0.1:1 within 60000 ms'))).toBe('no session from <url> within N ms');
    expect(reasonOf('read ECONNRESET 127.0.0.5:9000')).toBe('read ECONNRESET <address>');
  });
});
