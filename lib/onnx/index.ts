export * from './model';
export * from './element-types';
export * from './attributes';
export * from './decode';
export * from './encode';
export * from './shape-functions';
export * from './shape-inference';
export * from './window-geometry';
