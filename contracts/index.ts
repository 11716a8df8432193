export * from './blueprints.js';
export * from './artifacts.js';
export * from './envelope.js';
export * from './validate-artifact.js';
