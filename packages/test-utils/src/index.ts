export * from './postgres.js';
export * from './startTestBackend.js';
export * from './waitFor.js';
export * from './fakes/githubOAuth.js';
export * from './fakes/samlIdp.js';
export * from './fakes/oidcProvider.js';
export * from './fakes/githubApi.js';
export * from './fakes/gitlabApi.js';
