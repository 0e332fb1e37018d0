export { PausedAccountsBanner } from './PausedAccountsBanner';
export type { PausedAccountsBannerProps } from './PausedAccountsBanner';
