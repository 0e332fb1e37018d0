export { StatisticsPanel } from './StatisticsPanel';
