export { FilterBar, countActiveFilters } from './FilterBar';
export type { FilterBarProps } from './FilterBar';
