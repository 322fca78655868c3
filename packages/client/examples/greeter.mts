// A room greeter: joins a room and welcomes everyone who joins after it.
import { connect } from '@parley/client';
import { fileTokenStore } from '@parley/client/node';

const url = process.env.PARLEY_URL ?? 'http://localhost:3001';
const room = process.env.PARLEY_ROOM ?? 'lobby';
const name = process.env.PARLEY_NAME ?? 'Greeter';
const client = connect(url, { tokenStore: fileTokenStore('.parley/greeter-token') });

client.on('room-presence', ({ code, joined }) => {
  if (code !== room || !joined || joined.name === name) return;
  client.sendRoom(room, `Welcome to ${room}, ${joined.name}!`).catch((err) => console.error(err.code));
});
client.on('closed', ({ error }) => console.error('stopped:', error?.code ?? 'closed'));
process.on('SIGINT', () => void client.close());

await client.ready();
await client.acceptRules();
await client.joinRoom(room, { name });
console.log(`greeting newcomers in ${room} as ${name}`);
