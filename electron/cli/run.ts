import { main } from './main.js';

// Exit explicitly: a native library may keep the event loop alive after it is disposed.
process.exit(await main(process.argv.slice(2)));
