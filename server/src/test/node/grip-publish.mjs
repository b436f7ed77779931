// @fanoutio/grip's Publisher against a control API: node grip-publish.mjs CONTROL_URI
// Commands: {op: ws-message, channel, content} | {op: ws-message, channel, hex} | {op: ws-close, channel, code}
// Events: ready, published {op}, error {message}.
import { Publisher, WebSocketMessageFormat } from '@fanoutio/grip';
import { emit, onCommand } from './lines.mjs';

const publisher = new Publisher({ control_uri: process.argv[2] });
onCommand(async (c) => {
  let format;
  if (c.op === 'ws-message') {
    format = new WebSocketMessageFormat(c.hex !== undefined ? Uint8Array.from(Buffer.from(c.hex, 'hex')) : c.content);
  } else if (c.op === 'ws-close') {
    format = new WebSocketMessageFormat(null, true, c.code);
  } else {
    throw new Error('unknown op ' + c.op);
  }
  await publisher.publishFormats(c.channel, format);
  emit('published', { op: c.op });
});
emit('ready');
