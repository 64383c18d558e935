export { ReadError, messageOf } from './ReadError.js';
export { isValidGitRef, isWithin } from './paths.js';
export { FileReader, tooLarge } from './fileReader.js';
export { UrlReader, type UrlReaderOptions } from './urlReader.js';
export { GitReader, type GitReaderOptions, type GitTree } from './gitReader.js';
export { isHostAllowed, isPrivateAddress } from './netGuard.js';
export {
  runGit,
  runGitBuffer,
  validateGitRef,
  isGitMetadataPath,
  copyTreeWithoutGit,
  gitFailureReason,
  GitCommandError,
  InvalidGitRefError,
  type RunGitOptions,
  type RunGitResult,
  type GitCommandFailure,
} from './gitRunner.js';
