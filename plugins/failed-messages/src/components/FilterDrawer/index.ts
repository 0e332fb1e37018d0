export { FilterDrawer } from './FilterDrawer';
