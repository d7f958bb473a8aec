// Loads h5wasm with plain Node before tsx registers its hooks (`node --import bin/preload-h5wasm.mjs
// --import tsx ...`, or imported first by bin/mbrl-lab.mjs). h5wasm's node build is one 4 MB
// JavaScript file (the WebAssembly inlined); tsx would run it through esbuild on every start
// (~2-4 s and ~600 MB here). Later imports of 'h5wasm/node' from TypeScript resolve to the same
// file and get this already-loaded module from Node's cache, untransformed.
await import('h5wasm/node');
