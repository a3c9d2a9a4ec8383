export * from './api.js';
export * from './errors.js';
export * from './messages.js';
export * from './model.js';
export * from './models.js';
export * from './settings.js';
