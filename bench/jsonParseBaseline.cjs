'use strict';
// The baseline the transform is compared with: read the whole payload, JSON.parse
// it, and use the result trivially. Plain JavaScript, so nothing but Node starts.
const { readFileSync } = require('node:fs');

const document = JSON.parse(readFileSync(process.argv[2], 'utf8'));
console.log(document.ChargeDevice.length);
