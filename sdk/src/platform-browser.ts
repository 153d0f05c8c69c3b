import { BrightRunError } from './errors.js';
import { globalWebSocket, readEnv, type Platform, type WebSocketConstructor } from './platform.js';

/** Browsers: no file system (upload a File or Blob; download links from `artifacts.get`). */
export const browserPlatform: Platform = {
  async webSocket(): Promise<WebSocketConstructor> {
    const native = globalWebSocket();
    if (!native) throw new BrightRunError('This runtime has no WebSocket: pass `webSocket` in the client options');
    return native;
  },
  env: readEnv,
};
