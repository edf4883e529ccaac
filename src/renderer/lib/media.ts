// Image URLs for <img src>: relative, so they resolve in Electron (app://studio/) and browser mode alike.
export { mediaUrl } from '../../shared/channels.js';
