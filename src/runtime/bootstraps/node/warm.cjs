'use strict';
// Loaded once by a waiting stem cell through the same path as a handler, so that the first real load
// finds the module loader's code already compiled. Exports a handler shaped like any other.
exports.handler = async (event) => ({ warm: true, event });
