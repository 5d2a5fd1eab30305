import { EdgegramClient } from '../../../client/index.js';
import { PASSWORD } from './app.js';

/** A person on another device, through the SDK in Node: a third party for the browser users. */
export async function sdkUser(baseUrl: string, username: string, displayName: string): Promise<EdgegramClient> {
  const client = new EdgegramClient({ baseUrl, device: { name: `${displayName}'s laptop`, platform: 'node' } });
  client.on('error', () => {}); // reported through promises and state in these tests
  await client.signup({ username, display_name: displayName, password: PASSWORD });
  await client.connect();
  return client;
}
