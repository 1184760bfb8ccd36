// Preloaded with `node --require` by the start-up test: at exit, writes the file
// of every CommonJS module the process loaded to $LOADED_MODULES_FILE, as JSON.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  writeFileSync(process.env.LOADED_MODULES_FILE, JSON.stringify(Object.keys(require.cache)));
});
