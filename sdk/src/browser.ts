// @brightrun/lora-sdk in browsers: no Node built-ins; upload Files and Blobs, download through
// the files' signed links.
import { BrightRunClient } from './client.js';
import type { ClientOptions } from './core/transport.js';
import { browserPlatform } from './platform-browser.js';

export * from './exports.js';

/** The BrightRun LoRA client (browser build): pass `apiKey` and `baseUrl` explicitly. */
export class BrightRun extends BrightRunClient {
  constructor(options: ClientOptions = {}) {
    super(options, browserPlatform);
  }
}

export default BrightRun;
