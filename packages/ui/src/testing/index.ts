export { renderForTest, waitFor, click, type RenderResult } from './renderForTest';
