export { ReadError, messageOf } from './ReadError.js';
export { isWithin, isPathInside, confinePath, globBase } from './paths.js';
export { parseGitLocation, formatGitLocation, normalizeRepoPath, type GitLocation, type ParseGitLocationOptions } from './gitLocation.js';
export { isValidGitRef, validateGitRef, InvalidGitRefError } from './gitRef.js';
export { FileReader, tooLarge } from './fileReader.js';
export { UrlReader, type UrlReaderOptions } from './urlReader.js';
export { GitReader, type GitReaderOptions, type GitTree } from './gitReader.js';
export { assertOutboundAllowed, isHostAllowed, isPrivateAddress, isReservedHostName, type OutboundOptions, type CheckedOutboundTarget } from './netGuard.js';
export { parseOutboundTarget, legacyIPv4, type OutboundTarget, type OutboundTransport } from './outboundTarget.js';
export {
  runGit,
  runGitBuffer,
  isGitMetadataPath,
  copyTreeWithoutGit,
  gitFailureReason,
  GitCommandError,
  type RunGitOptions,
  type RunGitResult,
  type GitCommandFailure,
} from './gitRunner.js';
export { sourcesServiceRef, createSourcesService, resolveSourcesSettings, type SourcesService, type SourcesSettings } from './sourcesService.js';
