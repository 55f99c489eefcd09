/** Specs run from TypeScript source through SWC (type checking is `npm run typecheck`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    '^.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // The specs draw pictures in their own process, and jest's module system cannot require ES modules:
  // linkedom's CSS selector engine and its helpers ship only those, so they are compiled to CommonJS;
  // Observable Plot and d3 come as their UMD builds (the same versions; the CLI bundles their ES modules).
  transformIgnorePatterns: ['/node_modules/(?!(css-select|css-what|domutils|domhandler|dom-serializer|domelementtype|entities|nth-check|boolbase)/)'],
  moduleNameMapper: {
    '^@observablehq/plot$': '<rootDir>/node_modules/@observablehq/plot/dist/plot.umd.js',
    '^d3@7\\.9\\.0/dist/d3\\.min\\.js$': '<rootDir>/node_modules/d3/dist/d3.js',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  reporters: ['default', '<rootDir>/spec/support/summary-reporter.js'],
};
